//! Where a webhook may be sent: the guard against server-side request
//! forgery. An endpoint's URL is checked when it is registered, and every
//! address its host resolves to is checked again at each delivery (the
//! connection goes only to the addresses checked, so a DNS answer that
//! changes between the two — rebinding — is caught).
//!
//! Public addresses are always allowed. Loopback and private networks are
//! allowed only with `WEBHOOK_ALLOW_PRIVATE_NETWORKS=true` (on-premises
//! receivers, tests), and then over `http` too. Link-local addresses (where
//! clouds serve their instance metadata), unspecified, multicast and
//! broadcast addresses are refused always.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

/// Whether loopback and private networks are allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reach {
    pub allow_private_networks: bool,
}

/// Why an address or a URL is refused, in words for the admin.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("is not a URL")]
    NotAUrl,
    #[error("must use https")]
    NotHttps,
    #[error("must not carry a user name or password")]
    Credentials,
    #[error("has no host")]
    NoHost,
    #[error("resolves to {0}, a link-local address, which is never allowed")]
    LinkLocal(IpAddr),
    #[error("resolves to {0}, which is not an address one can send to")]
    Unroutable(IpAddr),
    #[error(
        "resolves to {0}, a loopback or private address (allowed only with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true)"
    )]
    Private(IpAddr),
    #[error("does not resolve: {0}")]
    Unresolvable(String),
}

/// The AWS instance metadata service's IPv6 address, in a private range but
/// refused always like the IPv4 one.
const METADATA_V6: Ipv6Addr = Ipv6Addr::new(0xfd00, 0x0ec2, 0, 0, 0, 0, 0, 0x0254);

fn v4_kind(ip: Ipv4Addr) -> Kind {
    let [a, b, ..] = ip.octets();
    if ip.is_link_local() {
        Kind::LinkLocal
    } else if ip.is_unspecified() || ip.is_multicast() || ip.is_broadcast() || a == 0 || a >= 240 {
        Kind::Unroutable
    } else if ip.is_loopback()
        || ip.is_private()
        // shared address space (carrier-grade NAT), benchmarking, IETF protocol assignments
        || (a == 100 && (64..128).contains(&b))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || ip.is_documentation()
    {
        Kind::Private
    } else {
        Kind::Public
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Public,
    Private,
    LinkLocal,
    Unroutable,
}

fn kind(ip: IpAddr) -> Kind {
    match ip {
        IpAddr::V4(v4) => v4_kind(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return v4_kind(v4);
            }
            let first = v6.segments()[0];
            if v6 == METADATA_V6 || (first & 0xffc0) == 0xfe80 {
                Kind::LinkLocal
            } else if v6.is_unspecified() || v6.is_multicast() {
                Kind::Unroutable
            } else if v6.is_loopback()
                // unique local, the old site-local, documentation, NAT64, 6to4, Teredo
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfec0
                || (first == 0x2001 && v6.segments()[1] == 0x0db8)
                || (first == 0x0064 && v6.segments()[1] == 0xff9b)
                || first == 0x2002
                || (first == 0x2001 && v6.segments()[1] == 0)
            {
                Kind::Private
            } else {
                Kind::Public
            }
        }
    }
}

/// Whether a webhook may be sent to `ip`.
pub fn check_ip(ip: IpAddr, reach: Reach) -> Result<(), Refused> {
    match kind(ip) {
        Kind::Public => Ok(()),
        Kind::Private if reach.allow_private_networks => Ok(()),
        Kind::Private => Err(Refused::Private(ip)),
        Kind::LinkLocal => Err(Refused::LinkLocal(ip)),
        Kind::Unroutable => Err(Refused::Unroutable(ip)),
    }
}

/// A URL's form: `https` (or `http` where private networks are allowed), no
/// credentials, a host; an address written in the URL is checked here too.
pub fn check_url(raw: &str, reach: Reach) -> Result<Url, Refused> {
    let url = Url::parse(raw.trim()).map_err(|_| Refused::NotAUrl)?;
    match url.scheme() {
        "https" => {}
        "http" if reach.allow_private_networks => {}
        _ => return Err(Refused::NotHttps),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Refused::Credentials);
    }
    match url.host() {
        None => return Err(Refused::NoHost),
        Some(Host::Ipv4(ip)) => check_ip(IpAddr::V4(ip), reach)?,
        Some(Host::Ipv6(ip)) => check_ip(IpAddr::V6(ip), reach)?,
        Some(Host::Domain(_)) => {}
    }
    Ok(url)
}

/// Every address `host` resolves to, each checked: one refused address
/// refuses the host (a name that points partly inside is not trusted).
pub async fn resolve(
    host: &str,
    port: u16,
    reach: Reach,
) -> Result<Vec<std::net::SocketAddr>, Refused> {
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host, port))
        .await
        .map_err(|e| Refused::Unresolvable(e.to_string()))?
        .collect();
    if addrs.is_empty() {
        return Err(Refused::Unresolvable("no addresses".into()));
    }
    for a in &addrs {
        check_ip(a.ip(), reach)?;
    }
    Ok(addrs)
}

/// Checks a URL as registered: its form, then every address its host
/// resolves to now.
pub async fn check_endpoint(raw: &str, reach: Reach) -> Result<Url, Refused> {
    let url = check_url(raw, reach)?;
    if let Some(Host::Domain(host)) = url.host() {
        let port = url.port_or_known_default().unwrap_or(443);
        resolve(host, port, reach).await?;
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLOSED: Reach = Reach {
        allow_private_networks: false,
    };
    const OPEN: Reach = Reach {
        allow_private_networks: true,
    };

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn link_local_is_refused_even_where_private_networks_are_allowed() {
        for a in [
            "169.254.169.254",
            "fe80::1",
            "::ffff:169.254.169.254",
            "fd00:ec2::254",
        ] {
            assert!(
                matches!(check_ip(ip(a), OPEN), Err(Refused::LinkLocal(_))),
                "{a}"
            );
        }
        for a in ["0.0.0.0", "::", "224.0.0.1", "255.255.255.255"] {
            assert!(
                matches!(check_ip(ip(a), OPEN), Err(Refused::Unroutable(_))),
                "{a}"
            );
        }
    }

    #[test]
    fn private_networks_need_the_setting() {
        for a in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "100.64.0.1",
            "::1",
            "fc00::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(
                matches!(check_ip(ip(a), CLOSED), Err(Refused::Private(_))),
                "{a}"
            );
            assert!(check_ip(ip(a), OPEN).is_ok(), "{a}");
        }
        for a in ["93.184.216.34", "2606:4700::1111"] {
            assert!(check_ip(ip(a), CLOSED).is_ok(), "{a}");
        }
    }

    #[test]
    fn a_url_must_be_https_without_credentials() {
        assert_eq!(
            check_url("http://example.com/hook", CLOSED),
            Err(Refused::NotHttps)
        );
        assert!(check_url("http://127.0.0.1:9000/hook", OPEN).is_ok());
        assert_eq!(
            check_url("ftp://example.com/", OPEN),
            Err(Refused::NotHttps)
        );
        assert_eq!(
            check_url("https://u:p@example.com/", CLOSED),
            Err(Refused::Credentials)
        );
        assert_eq!(check_url("not a url", CLOSED), Err(Refused::NotAUrl));
        assert!(matches!(
            check_url("https://169.254.169.254/latest", OPEN),
            Err(Refused::LinkLocal(_))
        ));
        assert!(matches!(
            check_url("https://[::1]/", CLOSED),
            Err(Refused::Private(_))
        ));
        assert!(check_url("https://example.com/hook", CLOSED).is_ok());
    }
}
