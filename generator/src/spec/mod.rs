//! Reading `spec/`: the file format ([`model`]), node positions ([`locate`]) and the directory
//! walk ([`load`]).

pub mod load;
pub mod locate;
pub mod model;
