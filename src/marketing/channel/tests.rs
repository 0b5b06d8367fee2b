//! Tests of the channel rules.
