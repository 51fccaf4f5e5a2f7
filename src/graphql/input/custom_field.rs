//! Inputs of custom field definitions.

use crate::lifecycle_inputs;
use crate::service::custom_field::{DefinitionPatch, NewDefinition};

pub use crate::graphql::types::custom_field::{
    CustomFieldDefinitionFilter, CustomFieldDefinitionOrder, CustomFieldDefinitionOrderField,
};

lifecycle_inputs!(DeleteCustomFieldDefinitionInput, RestoreCustomFieldDefinitionInput);

crate::service::custom_field::custom_field_inputs!();
