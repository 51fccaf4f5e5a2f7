//! The direct path's field map beyond the declarations: the fields every record has, and
//! the nested connections it reads (see [`Ty::fields`](super::fields::Ty::fields); stored
//! columns and to-one references come from `record!`).

use super::fields::{Field, Kind, Rel, Ty};
use Field::{Column as C, Many as M};
use Kind::*;

/// The fields every record type has.
pub const COMMON: &[(&str, Field)] = &[
    ("id", C("id", Id)),
    ("version", C("version", Int)),
    ("createdAt", C("created_at", DateTime)),
    ("updatedAt", C("updated_at", DateTime)),
    ("deletedAt", C("deleted_at", DateTime)),
];

/// The nested connections the direct path reads of `ty` (its stored columns and to-one
/// references come from the type's declaration, `record!`; see [`Ty::fields`]).
pub(super) fn lists(ty: Ty) -> &'static [(&'static str, Field)] {
    match ty {
        Ty::Customer => &[
            ("contacts", M(Rel::Contacts)),
            ("deals", M(Rel::Deals)),
            ("tickets", M(Rel::Tickets)),
            ("interactions", M(Rel::Interactions)),
            ("purchases", M(Rel::Purchases)),
            ("feedback", M(Rel::Feedback)),
            ("surveyResponses", M(Rel::SurveyResponses)),
        ],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::registry::MetaTypeName;

    /// Every mapped field exists in the schema with the type its kind writes, so the map
    /// cannot name a field the schema lacks or read a column as the wrong scalar.
    #[test]
    fn every_mapped_field_is_a_schema_field_of_its_kind() {
        let registry = crate::graphql::shape::registry();
        for ty in Ty::ALL {
            let object = registry.types.get(ty.name()).unwrap_or_else(|| panic!("{} not in the schema", ty.name()));
            for (name, field) in ty.fields() {
                let def =
                    object.field_by_name(name).unwrap_or_else(|| panic!("{}.{name} not in the schema", ty.name()));
                assert!(def.args.is_empty() || matches!(field, Field::Many(_)), "{}.{name} takes arguments", ty.name());
                let named = MetaTypeName::concrete_typename(&def.ty);
                let expected = match field {
                    Field::Column(_, Kind::Id) => "ID",
                    Field::Column(_, Kind::Text) => "String",
                    Field::Column(_, Kind::Int) => "Int",
                    Field::Column(_, Kind::Float) => "Float",
                    Field::Column(_, Kind::Bool) => "Boolean",
                    Field::Column(_, Kind::DateTime) => "DateTime",
                    Field::Column(_, Kind::Date) => "Date",
                    Field::Column(_, Kind::Money | Kind::MoneySum) => "Decimal",
                    Field::Column(_, Kind::Enum) => {
                        let is_enum =
                            matches!(registry.types.get(named), Some(async_graphql::registry::MetaType::Enum { .. }));
                        assert!(is_enum, "{}.{name} is not an enum", ty.name());
                        named
                    }
                    Field::One(_, target) => target.name(),
                    Field::Many(_) => {
                        assert!(named.ends_with("Connection"), "{}.{name} is not a connection", ty.name());
                        named
                    }
                };
                assert_eq!(named, expected, "{}.{name}", ty.name());
            }
        }
    }
}
