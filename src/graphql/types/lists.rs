//! The nested connections of a record type, declared once per type with [`lists!`]: each
//! names its field, its relation (`graphql::loader`), its node type, filter and order. The
//! macro writes the resolvers — page arguments, filter and order for the viewer, one
//! batched page per level (`relay::nested`) — into an object the record type flattens in.

/// Declares `$lists`, an object of connection fields over a parent record's id, to be
/// flattened into the parent type (`#[graphql(flatten)]`).
#[macro_export]
macro_rules! lists {
    (
        $(#[$doc:meta])*
        $lists:ident {
            $(
                $(#[$field_doc:meta])*
                $field:ident: $relation:ty => $node:ident($filter:ident, $order:ident);
            )*
        }
    ) => {
        $(#[$doc])*
        pub struct $lists(pub uuid::Uuid);

        #[async_graphql::Object]
        impl $lists {
            $(
                $(#[$field_doc])*
                #[graphql(complexity = "crate::graphql::relay::page_complexity(first, last, child_complexity)")]
                async fn $field(
                    &self,
                    ctx: &async_graphql::Context<'_>,
                    first: Option<i32>,
                    after: Option<String>,
                    last: Option<i32>,
                    before: Option<String>,
                    filter: Option<$filter>,
                    order_by: Option<Vec<$order>>,
                ) -> async_graphql::Result<$crate::graphql::relay::Conn<$node>> {
                    let viewer = || $crate::graphql::context::viewer(ctx);
                    $crate::graphql::relay::nested::<$relation, _>(
                        ctx,
                        self.0,
                        $crate::graphql::relay::page_args(first, after, last, before),
                        filter.map(|f| f.condition(viewer()?)).transpose()?,
                        order_by.map(|o| $order::spec(viewer()?, Some(o))).transpose()?,
                        $node,
                    )
                    .await
                }
            )*
        }
    };
}
