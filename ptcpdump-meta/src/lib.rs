//! Process, container and Pod metadata (to be written).
