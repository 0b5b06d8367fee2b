//! The members of the create-deal page: one list, from which the macro below makes the
//! enum, its order, its names and the lookup by name that the reader, the serializer and the
//! error order use.

/// Declares the members once, in the page's order.
macro_rules! members {
    ($($variant:ident => $name:literal,)+) => {
        /// The members of the create-deal page, in its order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Member {
            $($variant,)+
        }

        impl Member {
            /// Every member, in the page's order.
            pub(crate) const ALL: &'static [Member] = &[$(Member::$variant,)+];

            /// Every name, in the page's order.
            pub(crate) const NAMES: &'static [&'static str] = &[$($name,)+];

            /// The member's JSON name.
            pub(crate) const fn name(self) -> &'static str {
                match self {
                    $(Member::$variant => $name,)+
                }
            }

            /// The member of a name. A `match`, which the compiler turns into a switch on the
            /// length: this runs for every member of every payload.
            pub(crate) fn from_name(name: &str) -> Option<Member> {
                match name {
                    $($name => Some(Member::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

members! {
    Title => "title",
    StageId => "stage_id",
    ResponsibleId => "responsible_id",
    QualityRating => "quality_rating",
    QualityReason => "quality_reason",
    Value => "value",
    ExpectedCloseDate => "expected_close_date",
    Visibility => "visibility",
    Temperature => "temperature",
    Tags => "tags",
    PersonsId => "persons_id",
    Person => "person",
    PrimaryPersonId => "primary_person_id",
    OrganizationId => "organization_id",
    Organization => "organization",
    CustomFields => "custom_fields",
    Marketing => "marketing",
    CrmLeadSourceId => "crm_lead_source_id",
    LeadSource => "lead_source",
    Followers => "followers",
    Note => "note",
}

/// The members of the nested objects, in the page's order (a name means the same in every
/// object that has it).
const NESTED: [&str; 12] = [
    "id",
    "name",
    "contacts",
    "type",
    "value",
    "avoid_duplicate",
    "duplicate_check_types",
    "field_id",
    "user_id",
    "role_id",
    "content",
    "is_pinned",
];

impl Member {
    /// Where an error at `path` goes in a report: by the page order of its member (unknown
    /// members and `""` last), then by the array indices on its path, so that the items of a
    /// list come in order whichever rule found their problem.
    pub(crate) fn rank(path: &str) -> (usize, Vec<usize>) {
        let mut tokens = path.split('/').skip(1);
        let first = tokens.next().unwrap_or_default();
        let member = Member::NAMES
            .iter()
            .position(|name| *name == first)
            .unwrap_or(Member::NAMES.len());
        let rank = |token: &str| {
            token
                .parse()
                .ok()
                .or_else(|| NESTED.iter().position(|name| *name == token))
                .unwrap_or(usize::MAX)
        };
        (member, tokens.map(rank).collect())
    }
}
