//! Custom field definition mutations (admins): create (with an index on the field's
//! value), update, delete and restore.

use crate::graphql::input::custom_field::*;
use crate::graphql::types::custom_field::CustomFieldDefinition;
use crate::service;
use crate::{change_input, create_input, crud_mutations};

create_input!(CreateCustomFieldDefinitionInput => custom_field via service::custom_field::prepare, after service::custom_field::index);
change_input!(UpdateCustomFieldDefinitionInput => custom_field via service::custom_field::change);

crud_mutations! {
    CustomFieldDefinitionMutation for custom_field as CustomFieldDefinition in custom_field_definition {
        create_custom_field_definition(CreateCustomFieldDefinitionInput) -> CreateCustomFieldDefinitionPayload,
        update_custom_field_definition(UpdateCustomFieldDefinitionInput) -> UpdateCustomFieldDefinitionPayload,
        delete_custom_field_definition(DeleteCustomFieldDefinitionInput) -> DeleteCustomFieldDefinitionPayload,
        restore_custom_field_definition(RestoreCustomFieldDefinitionInput) -> RestoreCustomFieldDefinitionPayload,
    }
}
