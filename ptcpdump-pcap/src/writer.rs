//! Writers (to be written).
pub struct PcapWriter;
pub struct PcapngWriter;
pub struct SectionInfo;
pub struct InterfaceInfo;
pub struct EpbOptions;
