//! `Json<T>`: the one way a request body enters the service.
//!
//! * Only `application/json` (optionally `; charset=utf-8`) is read; any other
//!   content type, `text/json` and other charsets included, gets 415.
//! * Bodies over [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES) get 413 (the
//!   `PayloadConfig` of the app).
//! * Malformed JSON or a value of the wrong type gets 400. A number without
//!   a fractional part is an integer, however it is written (`2.0` is `2`).
//! * A member the request type does not know gets 422 naming it, every one of
//!   them at once (`interviews[2].bar_raiser`): a misspelt field is never
//!   silently dropped.

use std::future::Future;
use std::pin::Pin;

use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use super::problem::ApiError;
use crate::domain::FieldProblem;
use crate::error::ServiceError;

#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Json<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// `application/json`, with no parameter but `charset=utf-8`.
fn is_json(req: &HttpRequest) -> bool {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let Ok(mime) = value.parse::<mime::Mime>() else {
        return false;
    };
    mime.type_() == mime::APPLICATION
        && mime.subtype() == mime::JSON
        && mime.suffix().is_none()
        && mime.params().all(|(name, value)| {
            name == mime::CHARSET && value.as_str().eq_ignore_ascii_case("utf-8")
        })
}

/// A serde_ignored path in the service's field notation: `a.b`, `list[2].c`.
fn field_name(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => format!("{}[{index}]", field_name(parent)),
        Path::Map { parent, key } => match field_name(parent) {
            p if p.is_empty() => key.clone(),
            p => format!("{p}.{key}"),
        },
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => field_name(parent),
    }
}

/// A number without a fractional part is an integer, however it is written:
/// `2.0` is `2` (as in JSON Schema, which the API's document is written in).
fn integral_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f >= i64::MIN as f64
                && f < i64::MAX as f64
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(members) => members.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// Parses `bytes` as `T`, refusing members `T` does not know.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let not_valid =
        |e: serde_json::Error| ApiError::BadRequest(format!("The JSON body is not valid: {e}."));
    let mut json: serde_json::Value = serde_json::from_slice(bytes).map_err(not_valid)?;
    integral_numbers(&mut json);
    let mut unknown = Vec::new();
    let value: T = serde_ignored::deserialize(json, |path| unknown.push(field_name(&path)))
        .map_err(not_valid)?;
    if unknown.is_empty() {
        Ok(value)
    } else {
        Err(ServiceError::Invalid(
            unknown
                .into_iter()
                .map(|field| FieldProblem {
                    field,
                    message: "is not a known field".into(),
                })
                .collect(),
        )
        .into())
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !json {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "application/json",
                });
            }
            let bytes = bytes
                .await
                .map_err(|e| match e.as_error::<PayloadError>() {
                    Some(PayloadError::Overflow) => ApiError::PayloadTooLarge {
                        limit: super::MAX_BODY_BYTES,
                    },
                    _ => ApiError::BadRequest("The request body could not be read.".into()),
                })?;
            parse(&bytes).map(Json)
        })
    }
}

/// Like [`Json`], for a body that may be left out: a request without a body
/// (no `Content-Type`, no length) is `T::default()`; a body that is sent is
/// read as strictly as `Json<T>`.
#[derive(Debug)]
pub struct OptionalJson<T>(pub T);

impl<T> OptionalJson<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

fn has_body(req: &HttpRequest) -> bool {
    let length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    req.headers().contains_key(header::CONTENT_TYPE)
        || req.headers().contains_key(header::TRANSFER_ENCODING)
        || length.is_some_and(|n| n > 0)
}

impl<T: DeserializeOwned + Default + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        if !has_body(req) {
            return Box::pin(async { Ok(OptionalJson(T::default())) });
        }
        let json = Json::<T>::from_request(req, payload);
        Box::pin(async move { json.await.map(|j| OptionalJson(j.0)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Entry {
        id: i64,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        #[serde(default)]
        entries: Vec<Entry>,
        extra: Option<Entry>,
    }

    fn fields(err: ApiError) -> Vec<String> {
        match err {
            ApiError::Service(ServiceError::Invalid(issues)) => {
                issues.into_iter().map(|i| i.field).collect()
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_unknown_member_is_named_with_its_path() {
        let err = parse::<Body>(
            br#"{"name":"a","nmae":"b","entries":[{"id":1},{"id":2,"bar":3}],"extra":{"id":1,"x":{}}}"#,
        )
        .unwrap_err();
        assert_eq!(fields(err), ["nmae", "entries[1].bar", "extra.x"]);
    }

    #[test]
    fn a_number_without_a_fractional_part_is_an_integer() {
        let body = parse::<Body>(br#"{"name":"a","entries":[{"id":7.0},{"id":-2e0}]}"#).unwrap();
        assert_eq!(
            body.entries.iter().map(|e| e.id).collect::<Vec<_>>(),
            [7, -2]
        );
        for fractional in [
            &br#"{"name":"a","extra":{"id":7.5}}"#[..],
            br#"{"name":"a","extra":{"id":1e300}}"#,
        ] {
            assert!(matches!(
                parse::<Body>(fractional),
                Err(ApiError::BadRequest(_))
            ));
        }
    }

    #[test]
    fn malformed_json_and_wrong_types_are_bad_requests() {
        for body in [&b"{"[..], b"{\"name\": 1}", b"{\"name\":\"a\"} trailing"] {
            assert!(matches!(parse::<Body>(body), Err(ApiError::BadRequest(_))));
        }
        assert!(parse::<Body>(br#"{"name":"a"}"#).is_ok());
    }

    #[test]
    fn only_application_json_in_utf8_is_read() {
        let with = |ct: &str| {
            is_json(
                &TestRequest::default()
                    .insert_header(("content-type", ct))
                    .to_http_request(),
            )
        };
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON; charset=UTF-8",
        ] {
            assert!(with(ok), "{ok}");
        }
        for bad in [
            "text/json",
            "application/json; charset=utf-16",
            "text/plain",
            "application/problem+json",
            "application/json; x=1",
        ] {
            assert!(!with(bad), "{bad}");
        }
        assert!(!is_json(&TestRequest::default().to_http_request()));
    }
}
