//! The editor help gdext hands to Godot: every class, method, signal and
//! constant is described.

use std::collections::HashMap;

/// Parses the class reference gdext hands to Godot's editor help (F1)
/// for `class`, checks that the class and every method, property,
/// signal and constant are described (constants within `enums`), and
/// counts them by kind.
fn described_items(
    class_name: &str,
    enums: &[crate::class_enums::ClassEnum],
) -> HashMap<String, usize> {
    let xml: String = godot::docs::__gather_xml_docs()
        .find(|x| x.contains(&format!(r#"<class name="{class_name}""#)))
        .expect("the class's docs");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed class reference");
    let text = |node: roxmltree::Node| node.children().filter_map(|c| c.text()).collect::<String>();
    let class = doc.root_element();
    for tag in ["brief_description", "description"] {
        let node = class.children().find(|n| n.has_tag_name(tag)).expect(tag);
        assert!(!text(node).trim().is_empty(), "class {tag} is empty");
    }
    let mut counts = HashMap::new();
    for item in class.descendants().filter(|n| {
        ["method", "signal", "constant", "member"]
            .iter()
            .any(|t| n.has_tag_name(*t))
    }) {
        let name = item.attribute("name").unwrap_or("?");
        let described = match item.children().find(|n| n.has_tag_name("description")) {
            Some(d) => text(d),
            None => text(item),
        };
        assert!(
            !described.trim().is_empty(),
            "{class_name}: {} {name} has no description",
            item.tag_name().name()
        );
        if item.has_tag_name("constant") {
            let enum_name = item.attribute("enum").unwrap_or_default();
            let listed = enums.iter().find(|e| e.name == enum_name);
            assert!(
                listed.is_some_and(|e| e.values.iter().any(|(n, _)| *n == name)),
                "constant {name} is not documented in its enum ({enum_name:?})"
            );
        }
        *counts
            .entry(item.tag_name().name().to_string())
            .or_insert(0) += 1;
    }
    counts
}

/// The `Steam` class: every method, signal and constant described.
#[test]
fn every_item_has_editor_help() {
    let counts = described_items("Steam", super::ENUMS);
    assert_eq!(counts.get("method"), Some(&74), "{counts:?}");
    assert_eq!(counts.get("signal"), Some(&15), "{counts:?}");
    assert_eq!(counts.get("constant"), Some(&267), "{counts:?}");
}

/// `SteamMultiplayerPeer`: its methods, properties and constants too.
#[test]
fn the_multiplayer_peer_has_editor_help() {
    let counts = described_items("SteamMultiplayerPeer", super::PEER_ENUMS);
    assert_eq!(counts.get("method"), Some(&6), "{counts:?}");
    assert_eq!(counts.get("member"), Some(&4), "{counts:?}");
    assert_eq!(counts.get("constant"), Some(&3), "{counts:?}");
}
