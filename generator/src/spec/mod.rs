//! Reading `spec/`: the file format ([`model`]), node positions ([`locate`]) and the directory
//! walk ([`load`]), and what a `$ref` can reach ([`scope`]).

pub mod load;
pub mod locate;
pub mod model;
pub mod scope;
