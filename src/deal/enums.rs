//! The small integer enums of the create-deal page: visibility, temperature, quality rating.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant = $code),+
        }

        impl $name {
            /// Every value, in code order.
            ///
            /// ```
            #[doc = concat!("use wegly_attribution::", stringify!($name), ";")]
            #[doc = concat!("for value in ", stringify!($name), "::ALL {")]
            #[doc = concat!("    assert_eq!(", stringify!($name), "::from_code(i64::from(value.code())), Some(*value));")]
            /// }
            /// ```
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The enum for an API code, or `None` when the code is not one of the documented
            /// options.
            ///
            /// ```
            #[doc = concat!("use wegly_attribution::", stringify!($name), ";")]
            #[doc = concat!("let first = ", stringify!($name), "::ALL[0];")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_code(i64::from(first.code())), Some(first));")]
            #[doc = concat!("assert_eq!(", stringify!($name), "::from_code(99), None);")]
            /// ```
            #[must_use]
            pub const fn from_code(code: i64) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The integer the API uses for this value.
            ///
            /// ```
            #[doc = concat!("use wegly_attribution::", stringify!($name), ";")]
            #[doc = concat!("for value in ", stringify!($name), "::ALL {")]
            ///     // The JSON the API reads is the code.
            ///     assert_eq!(serde_json::to_string(value)?, value.code().to_string());
            /// }
            /// # Ok::<(), serde_json::Error>(())
            /// ```
            #[must_use]
            pub const fn code(self) -> u8 {
                self as u8
            }
        }

        impl TryFrom<i64> for $name {
            type Error = i64;

            /// Converts an API code; the error gives the unknown code back.
            fn try_from(code: i64) -> Result<Self, i64> {
                Self::from_code(code).ok_or(code)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_u8(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let code = i64::deserialize(deserializer)?;
                Self::from_code(code).ok_or_else(|| {
                    serde::de::Error::custom(format_args!(
                        concat!("unknown ", stringify!($name), " code {}"),
                        code
                    ))
                })
            }
        }
    };
}

int_enum! {
    /// Who sees the deal (`visibility` on the API page).
    Visibility {
        /// `0`: the owner and their supervisors ("privado").
        Private = 0,
        /// `1`: the owner's team ("equipe/responsável").
        Team = 1,
        /// `2`: everyone in the account ("público").
        Public = 2,
    }
}

int_enum! {
    /// How likely the deal is to close (`temperature` on the API page).
    Temperature {
        /// `1`: cold ("frio").
        Cold = 1,
        /// `2`: warm ("morno").
        Warm = 2,
        /// `3`: hot ("quente").
        Hot = 3,
    }
}

int_enum! {
    /// The qualification score, one to five stars (`quality_rating` on the API page).
    QualityRating {
        /// One star.
        One = 1,
        /// Two stars.
        Two = 2,
        /// Three stars.
        Three = 3,
        /// Four stars.
        Four = 4,
        /// Five stars.
        Five = 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::from_code(i64::from(v.code())), Some(*v));
        }
        for t in Temperature::ALL {
            assert_eq!(Temperature::try_from(i64::from(t.code())), Ok(*t));
        }
        for q in QualityRating::ALL {
            let json = serde_json::to_string(q).unwrap();
            assert_eq!(serde_json::from_str::<QualityRating>(&json).unwrap(), *q);
        }
        assert_eq!(Temperature::from_code(0), None);
        assert_eq!(QualityRating::from_code(6), None);
        assert_eq!(Visibility::try_from(3), Err(3));
    }
}
