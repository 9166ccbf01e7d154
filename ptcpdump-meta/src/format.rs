//! Text of the container and Pod parts of ptcpdump's output, byte for byte as the original:
//! the one-line suffix, the `-v` lines and the pcapng comments.
//!
//! Labels and annotations are printed as compact JSON objects with sorted keys, escaped the way
//! Go's `encoding/json` escapes them (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes), and `{}`
//! when empty. This module does no I/O.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{Container, Pod};

/// `, Container [NAME], Pod [NAME.NAMESPACE]`: each part only when known (a container with an
/// id; a Pod with a name), as appended to the default one-line output.
pub fn oneline_suffix(c: Option<&Container>) -> String {
    let mut s = String::new();
    if let Some(c) = c.filter(|c| !c.id.is_empty()) {
        let _ = write!(s, ", Container [{}]", tidy_name(&c.name));
    }
    if let Some(p) = pod_of(c) {
        let _ = write!(s, ", Pod [{}.{}]", p.name, p.namespace);
    }
    s
}

/// `Container (name N, id ID, image IMAGE, labels {...})`, without indentation or newline;
/// `None` when there is no container.
pub fn verbose_container(c: Option<&Container>) -> Option<String> {
    let c = c.filter(|c| !c.id.is_empty())?;
    Some(format!(
        "Container (name {}, id {}, image {}, labels {})",
        tidy_name(&c.name),
        c.id,
        c.image,
        json_map(&c.labels)
    ))
}

/// `Pod (name N, namespace NS, UID U, labels {...}, annotations {...})`; `None` without a Pod.
pub fn verbose_pod(c: Option<&Container>) -> Option<String> {
    let p = pod_of(c)?;
    Some(format!(
        "Pod (name {}, namespace {}, UID {}, labels {}, annotations {})",
        p.name,
        p.namespace,
        p.uid,
        json_map(&p.labels),
        json_map(&p.annotations)
    ))
}

/// pcapng `opt_comment` with the container group:
/// `ContainerName: ...\nContainerId: ...\nContainerImage: ...\nContainerLabels: <json>`.
pub fn pcapng_container_comment(c: Option<&Container>) -> Option<String> {
    let c = c.filter(|c| !c.id.is_empty())?;
    Some(format!(
        "ContainerName: {}\nContainerId: {}\nContainerImage: {}\nContainerLabels: {}",
        tidy_name(&c.name),
        c.id,
        c.image,
        json_map(&c.labels)
    ))
}

/// pcapng `opt_comment` with the Pod group:
/// `PodName: ...\nPodNamespace: ...\nPodUID: ...\nPodLabels: <json>\nPodAnnotations: <json>`.
pub fn pcapng_pod_comment(c: Option<&Container>) -> Option<String> {
    let p = pod_of(c)?;
    Some(format!(
        "PodName: {}\nPodNamespace: {}\nPodUID: {}\nPodLabels: {}\nPodAnnotations: {}",
        p.name,
        p.namespace,
        p.uid,
        json_map(&p.labels),
        json_map(&p.annotations)
    ))
}

fn pod_of(c: Option<&Container>) -> Option<&Pod> {
    c?.pod.as_deref().filter(|p| !p.name.is_empty())
}

fn tidy_name(name: &str) -> &str {
    name.trim_start_matches('/')
}

/// Compact JSON object with keys in byte order (`BTreeMap` order equals Go's sorted keys).
pub fn json_map(m: &BTreeMap<String, String>) -> String {
    if m.is_empty() {
        return "{}".to_string();
    }
    let mut s = String::with_capacity(m.len() * 32);
    s.push('{');
    for (i, (k, v)) in m.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        json_string(&mut s, k);
        s.push(':');
        json_string(&mut s, v);
    }
    s.push('}');
    s
}

/// Parses the JSON object written by [`json_map`] (pcapng comments read back with `-r`).
/// Non-string values are kept as their JSON text; anything that is not an object gives `None`.
pub fn parse_json_map(s: &str) -> Option<BTreeMap<String, String>> {
    let v: serde_json::Value = serde_json::from_str(s).ok()?;
    let obj = v.as_object()?;
    Some(
        obj.iter()
            .map(|(k, v)| {
                let text = v
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| v.to_string());
                (k.clone(), text)
            })
            .collect(),
    )
}

fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            // Go escapes these for safe embedding in HTML and JavaScript.
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", ch as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn labels(kv: &[(&str, &str)]) -> BTreeMap<String, String> {
        kv.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn sample() -> Container {
        Container {
            id: "d9028334568b".into(),
            name: "/test".into(),
            image: "docker.io/library/alpine:3.18".into(),
            labels: labels(&[
                ("io.kubernetes.pod.name", "test"),
                ("io.cri-containerd.kind", "container"),
            ]),
            pod: Some(Arc::new(Pod::with_labels(
                "test",
                "default",
                "9e4bc54b",
                labels(&[("run", "test"), ("io.kubernetes.pod.uid", "9e4bc54b")]),
                labels(&[("kubernetes.io/config.source", "api")]),
            ))),
            ..Default::default()
        }
    }

    #[test]
    fn oneline() {
        let c = sample();
        assert_eq!(
            oneline_suffix(Some(&c)),
            ", Container [test], Pod [test.default]"
        );
        let plain = Container {
            id: "abc".into(),
            name: "musing_banach".into(),
            ..Default::default()
        };
        assert_eq!(oneline_suffix(Some(&plain)), ", Container [musing_banach]");
        assert_eq!(oneline_suffix(None), "");
        assert_eq!(oneline_suffix(Some(&Container::default())), "");
    }

    #[test]
    fn verbose_lines() {
        let c = sample();
        assert_eq!(
            verbose_container(Some(&c)).unwrap(),
            "Container (name test, id d9028334568b, image docker.io/library/alpine:3.18, labels \
             {\"io.cri-containerd.kind\":\"container\",\"io.kubernetes.pod.name\":\"test\"})"
        );
        assert_eq!(
            verbose_pod(Some(&c)).unwrap(),
            "Pod (name test, namespace default, UID 9e4bc54b, labels {\"run\":\"test\"}, \
             annotations {\"kubernetes.io/config.source\":\"api\"})"
        );
        let anon = Container {
            id: "78f1".into(),
            ..Default::default()
        };
        assert_eq!(
            verbose_container(Some(&anon)).unwrap(),
            "Container (name , id 78f1, image , labels {})"
        );
        assert_eq!(verbose_pod(Some(&anon)), None);
    }

    #[test]
    fn pcapng_comments() {
        let c = sample();
        assert_eq!(
            pcapng_container_comment(Some(&c)).unwrap(),
            "ContainerName: test\nContainerId: d9028334568b\nContainerImage: docker.io/library/alpine:3.18\n\
             ContainerLabels: {\"io.cri-containerd.kind\":\"container\",\"io.kubernetes.pod.name\":\"test\"}"
        );
        assert_eq!(
            pcapng_pod_comment(Some(&c)).unwrap(),
            "PodName: test\nPodNamespace: default\nPodUID: 9e4bc54b\nPodLabels: {\"run\":\"test\"}\n\
             PodAnnotations: {\"kubernetes.io/config.source\":\"api\"}"
        );
        assert_eq!(pcapng_container_comment(None), None);
        assert_eq!(pcapng_pod_comment(None), None);
    }

    #[test]
    fn json_escaping_like_go() {
        let m = labels(&[("b", "x<y>&z"), ("a", "q\"\\\n\t\u{1}\u{2028}é")]);
        assert_eq!(
            json_map(&m),
            r#"{"a":"q\"\\\n\t\u0001\u2028é","b":"x\u003cy\u003e\u0026z"}"#
        );
        assert_eq!(json_map(&BTreeMap::new()), "{}");
    }

    #[test]
    fn json_round_trip() {
        let m = labels(&[("k", "v<>&\"\n"), ("z", ""), ("é", "ü")]);
        assert_eq!(parse_json_map(&json_map(&m)).unwrap(), m);
        assert_eq!(parse_json_map("{}").unwrap(), BTreeMap::new());
        assert_eq!(parse_json_map("[1]"), None);
        assert_eq!(parse_json_map("{"), None);
        assert_eq!(parse_json_map(r#"{"n":1}"#).unwrap(), labels(&[("n", "1")]));
    }
}
