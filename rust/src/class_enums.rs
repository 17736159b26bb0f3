//! Class enums: integer constants that Godot files under an enum name, so
//! that GDScript parses `Steam.P2PSend.P2P_SEND_RELIABLE` and
//! `var send: Steam.P2PSend` (as with GodotSteam) as well as the flat
//! `Steam.P2P_SEND_RELIABLE`.
//!
//! gdext 0.5's `#[constant]` registers a constant without an enum, and it
//! has no public macro for class enums. [`class_enums!`] declares them once,
//! with a doc comment per constant, and generates the two things gdext's own
//! macros would: a registration function that hands each constant to Godot
//! with its enum name (through gdext's registration types, the same call
//! its `#[constant]` makes), and the constants' entries in the class
//! reference (the editor's help), with their enum. Both go through gdext's
//! `private` paths, which its macros use and which carry no stability
//! promise: Cargo.lock pins gdext, and `tests/godot/suites/test_api_surface.gd`
//! checks the result in a real engine after any upgrade.

/// One enum (or bit field) of a class, as registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassEnum {
    /// Its name in Godot (`P2PSend`).
    pub name: &'static str,
    /// Whether its values are flags that combine.
    pub bitfield: bool,
    /// Its constants and their values.
    pub values: &'static [(&'static str, i64)],
}

/// Registers `enums` as class enums of `T`. Call once, after gdext has
/// registered the class (in `on_stage_init(InitStage::Scene)`).
pub fn register<T: godot::obj::GodotClass>(enums: &[ClassEnum]) {
    use godot::prelude::StringName;
    use godot::register::private::constant::{ConstantKind, ExportConstant, IntegerConstant};
    for e in enums {
        let constants = e
            .values
            .iter()
            .map(|(name, value)| IntegerConstant::new(name, *value))
            .collect();
        let name = StringName::from(e.name);
        let kind = if e.bitfield {
            ConstantKind::Bitfield {
                name,
                flags: constants,
            }
        } else {
            ConstantKind::Enum {
                name,
                enumerators: constants,
            }
        };
        ExportConstant::new(T::class_id(), kind).register();
    }
}

/// Declares class enums of `$class`: defines `pub const ENUMS: &[ClassEnum]`
/// for [`register`], and adds every constant, with its doc comment and its
/// enum, to the class reference. Doc comments must not contain `<` or `&`
/// (they go into XML as they are; a unit test parses the result).
///
/// ```ignore
/// class_enums! { Steam;
///     /// What the enum is for.
///     enum P2PSend {
///         /// What this value means.
///         P2P_SEND_UNRELIABLE = 0,
///     }
///     bitfield PersonaChange { /// ...
///         PERSONA_CHANGE_NAME = 1, }
/// }
/// ```
macro_rules! class_enums {
    ($class:ty; $( $(#[doc = $enum_doc:literal])* $kind:ident $enum:ident {
        $( $(#[doc = $doc:literal])* $name:ident = $value:literal, )*
    } )*) => {
        /// Every class enum, in declaration order.
        pub const ENUMS: &[$crate::class_enums::ClassEnum] = &[
            $( $crate::class_enums::ClassEnum {
                name: stringify!($enum),
                bitfield: $crate::class_enums::kind!($kind),
                values: &[ $( (stringify!($name), $value), )* ],
            }, )*
        ];

        ::godot::sys::shard_add!(::godot::private::__GODOT_DOCS_REGISTRY;
            ::godot::private::DocsShard::new::<$class>(
                ::godot::private::DocsItem::InherentImpl(::godot::private::InherentImplDocs {
                    methods_xml: "",
                    signals_xml: "",
                    constants_xml: concat!( $( $(
                        "<constant name=\"", stringify!($name),
                        "\" value=\"", stringify!($value),
                        "\" enum=\"", stringify!($enum), "\"",
                        $crate::class_enums::bitfield_attr!($kind),
                        ">", $( $doc, "\n", )* "</constant>",
                    )* )* ),
                })
            )
        );
    };
}

pub(crate) use class_enums;

/// Whether a `class_enums!` kind keyword is `bitfield` (else `enum`).
macro_rules! kind {
    (bitfield) => {
        true
    };
    (enum) => {
        false
    };
}
pub(crate) use kind;

/// The class reference attribute of a bit field's constants.
macro_rules! bitfield_attr {
    (bitfield) => {
        " is_bitfield=\"true\""
    };
    (enum) => {
        ""
    };
}
pub(crate) use bitfield_attr;
