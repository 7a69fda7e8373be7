//! The typed ids of the form: one enum per kind of id, each variant with the string id
//! the JSON, the template context and the archive use.

use std::fmt;

/// Declares an id enum: one variant per string id. The string ids are a public interface
/// (the JSON of `check --format json`, the template context, the archive's data sheet,
/// agencies' own templates); the enums let the code name them so that a misspelt id is a
/// compile error instead of a lookup that silently finds nothing.
macro_rules! ids {
    ($(#[$m:meta])* $name:ident { $($var:ident = $id:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = concat!("`", $id, "`")] $var),*
        }

        impl $name {
            /// Every id, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// The string id.
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$var => $id),*
                }
            }

            /// The id a string names, if it names one.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|x| x.id() == s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.id())
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.id()
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.id() == *other
            }
        }
    };
}

ids! {
    /// A section of the document, in document order.
    SectionId {
        Overview = "overview",
        Active = "active",
        Requests = "requests",
        ReviewLitigation = "review_litigation",
        Problems = "problems",
        OtherMatters = "other_matters",
    }
}

ids! {
    /// A row of section 二, of either edition.
    ActiveRow {
        Regulations = "regulations",
        NormativeDocuments = "normative_documents",
        Licensing = "licensing",
        OtherServices = "other_services",
        Penalty = "penalty",
        Enforcement = "enforcement",
        Fees = "fees",
        Procurement = "procurement",
    }
}

ids! {
    /// A column of section 二, of either edition.
    ActiveCol {
        Issued = "issued",
        Repealed = "repealed",
        InForce = "in_force",
        Decisions = "decisions",
        AmountWan = "amount_wan",
        Made = "made",
        Published = "published",
        TotalPublic = "total_public",
        PrevItems = "prev_items",
        Change = "change",
        Items = "items",
        Amount = "amount",
    }
}

ids! {
    /// A row of table 三, of either edition.
    ReqRow {
        NewReceived = "new_received",
        CarriedOver = "carried_over",
        Granted = "granted",
        PartlyGranted = "partly_granted",
        DeniedStateSecret = "denied_state_secret",
        DeniedLawForbids = "denied_law_forbids",
        DeniedSecurityStability = "denied_security_stability",
        DeniedThirdParty = "denied_third_party",
        DeniedInternalAffairs = "denied_internal_affairs",
        DeniedProcessInfo = "denied_process_info",
        DeniedEnforcementFile = "denied_enforcement_file",
        DeniedQueryMatter = "denied_query_matter",
        UnableNotHeld = "unable_not_held",
        UnableNeedsCreation = "unable_needs_creation",
        UnableUnclear = "unable_unclear",
        RejectedPetition = "rejected_petition",
        RejectedRepeated = "rejected_repeated",
        RejectedPublication = "rejected_publication",
        RejectedMassRepeated = "rejected_mass_repeated",
        RejectedConfirmation = "rejected_confirmation",
        Other = "other",
        OtherNoCorrection = "other_no_correction",
        OtherFeeUnpaid = "other_fee_unpaid",
        OtherMisc = "other_misc",
        ResultTotal = "result_total",
        CarriedForward = "carried_forward",
    }
}

ids! {
    /// A column of table 三 (the same in both editions, in this order).
    ReqCol {
        NaturalPerson = "natural_person",
        Commercial = "commercial",
        Research = "research",
        SocialWelfare = "social_welfare",
        LegalService = "legal_service",
        OtherOrg = "other_org",
        Total = "total",
    }
}

ids! {
    /// A column group of table 四 (its rows in the model), in this order.
    ReviewGroup {
        Review = "review",
        LitigationDirect = "litigation_direct",
        LitigationAfterReview = "litigation_after_review",
    }
}

ids! {
    /// A column of table 四 within a group, in this order.
    ReviewCol {
        Upheld = "upheld",
        Corrected = "corrected",
        Other = "other",
        Pending = "pending",
        Total = "total",
    }
}

impl ReqCol {
    /// The column's position: table 三's columns are declared in form order.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl ReviewGroup {
    /// The group's position in table 四 and in the model.
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl ReviewCol {
    /// The column's position within a group.
    pub const fn index(self) -> usize {
        self as usize
    }
}
