//! The player's locale (as Godot reports it, "en_US") in Steam's terms:
//! Steam's API language names and a two-letter country.

/// Steam's API language name for a locale; "english" for any it lacks.
pub fn steam_language(locale: &str) -> &'static str {
    let lower = locale.to_ascii_lowercase().replace('-', "_");
    let (language, region) = lower.split_once('_').unwrap_or((&lower, ""));
    match (language, region) {
        ("pt", "br") => "brazilian",
        ("es", r) if r != "es" && !r.is_empty() => "latam",
        ("zh", "tw" | "hk" | "mo") | ("zh", "hant") => "tchinese",
        ("zh", _) => "schinese",
        ("ar", _) => "arabic",
        ("bg", _) => "bulgarian",
        ("cs", _) => "czech",
        ("da", _) => "danish",
        ("de", _) => "german",
        ("el", _) => "greek",
        ("es", _) => "spanish",
        ("fi", _) => "finnish",
        ("fr", _) => "french",
        ("hu", _) => "hungarian",
        ("id", _) => "indonesian",
        ("it", _) => "italian",
        ("ja", _) => "japanese",
        ("ko", _) => "koreana",
        ("nl", _) => "dutch",
        ("no" | "nb" | "nn", _) => "norwegian",
        ("pl", _) => "polish",
        ("pt", _) => "portuguese",
        ("ro", _) => "romanian",
        ("ru", _) => "russian",
        ("sv", _) => "swedish",
        ("th", _) => "thai",
        ("tr", _) => "turkish",
        ("uk", _) => "ukrainian",
        ("vi", _) => "vietnamese",
        _ => "english",
    }
}

/// The locale's country as two capital letters ("US" for "en_US"); "" when
/// the locale names none.
pub fn country(locale: &str) -> String {
    locale
        .split(['_', '-'])
        .nth(1)
        .map(|region| region.split(['.', '@']).next().unwrap_or_default())
        .filter(|region| region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|region| region.to_ascii_uppercase())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_steam_names() {
        assert_eq!(steam_language("en_US"), "english");
        assert_eq!(steam_language("de"), "german");
        assert_eq!(steam_language("pt_BR"), "brazilian");
        assert_eq!(steam_language("pt_PT"), "portuguese");
        assert_eq!(steam_language("es_ES"), "spanish");
        assert_eq!(steam_language("es_MX"), "latam");
        assert_eq!(steam_language("zh_TW"), "tchinese");
        assert_eq!(steam_language("zh_CN"), "schinese");
        assert_eq!(steam_language("xx"), "english");
        assert_eq!(steam_language(""), "english");
    }

    #[test]
    fn the_country_is_the_region() {
        assert_eq!(country("en_US"), "US");
        assert_eq!(country("de_DE.UTF-8"), "DE");
        assert_eq!(country("fr"), "");
        assert_eq!(country("zh_Hant_TW"), "");
    }
}
