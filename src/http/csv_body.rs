//! `CsvBody`: a `text/csv` request body (optionally `; charset=utf-8`), read
//! up to [`MAX_CSV_BYTES`]: a people file of 20,000 rows fits; more gets 413.
//! Any other content type gets 415.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use super::problem::ApiError;

/// The largest CSV body read (4 MiB).
pub const MAX_CSV_BYTES: usize = 4 * 1024 * 1024;

pub struct CsvBody(pub Vec<u8>);

fn is_csv(req: &HttpRequest) -> bool {
    let Some(mime) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
    else {
        return false;
    };
    mime.type_() == mime::TEXT
        && mime.subtype() == "csv"
        && mime.params().all(|(name, value)| {
            name == mime::CHARSET && value.as_str().eq_ignore_ascii_case("utf-8")
        })
}

impl FromRequest for CsvBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let csv = is_csv(req);
        let body = web::Payload::from_request(req, payload);
        Box::pin(async move {
            if !csv {
                return Err(ApiError::UnsupportedMediaType {
                    expected: "text/csv",
                });
            }
            let body = body
                .await
                .map_err(|_| ApiError::BadRequest("The request body could not be read.".into()))?;
            match body.to_bytes_limited(MAX_CSV_BYTES).await {
                Ok(Ok(bytes)) => Ok(CsvBody(bytes.to_vec())),
                Ok(Err(_)) => Err(ApiError::BadRequest(
                    "The request body could not be read.".into(),
                )),
                Err(_) => Err(ApiError::PayloadTooLarge {
                    limit: MAX_CSV_BYTES,
                }),
            }
        })
    }
}
