//! Namespace URIs of the specifications this crate speaks.
//!
//! Elements are always matched by (namespace URI, local name), never by prefix: a peer may bind
//! any prefix (or none) to these URIs.

/// SOAP 1.2 envelope (`s:`).
pub const SOAP: &str = "http://www.w3.org/2003/05/soap-envelope";
/// SOAP 1.1 envelope: only recognised to answer with a `VersionMismatch` fault.
pub const SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// WS-Addressing, August 2004 (`a:`).
pub const ADDRESSING: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
/// WS-Enumeration, September 2004 (`n:`).
pub const ENUMERATION: &str = "http://schemas.xmlsoap.org/ws/2004/09/enumeration";
/// WS-Eventing, August 2004 (`e:`).
pub const EVENTING: &str = "http://schemas.xmlsoap.org/ws/2004/08/eventing";
/// WS-Transfer, September 2004 (`x:`).
pub const TRANSFER: &str = "http://schemas.xmlsoap.org/ws/2004/09/transfer";
/// DMTF WS-Management (DSP0226) schema namespace (`w:`).
pub const WSMAN: &str = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
/// Microsoft WS-Management extensions, MS-WSMV (`p:`).
pub const MS_WSMAN: &str = "http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd";
/// MS-WSMV `MachineID` header namespace.
pub const MACHINE_ID: &str = "http://schemas.microsoft.com/wbem/wsman/1/machineid";
/// MS-WSMV subscription items in an `EnumerateResponse` (`m:Subscription`).
pub const SUBSCRIPTION: &str = "http://schemas.microsoft.com/wbem/wsman/1/subscription";
/// MS-WSMV `WSManFault` detail.
pub const WSMAN_FAULT: &str = "http://schemas.microsoft.com/wbem/wsman/1/wsmanfault";
/// MS-WSMV authentication policy (`auth:Authentication`).
pub const AUTHENTICATION: &str = "http://schemas.microsoft.com/wbem/wsman/1/authentication";
/// WS-Policy, December 2002 (`c:Policy`).
pub const POLICY: &str = "http://schemas.xmlsoap.org/ws/2002/12/policy";
/// XML Schema instance (`xsi:nil`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
/// The reserved `xml:` namespace (`xml:lang`).
pub const XML: &str = "http://www.w3.org/XML/1998/namespace";
/// DMTF CIM binding (`b:`), declared by Windows on requests.
pub const CIM_BINDING: &str = "http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd";
/// Windows event schema (`<Event xmlns=…>`).
pub const EVENT: &str = "http://schemas.microsoft.com/win/2004/08/events/event";

/// The anonymous WS-Addressing role used as `To` of responses and `ReplyTo` of requests.
pub const ANONYMOUS: &str = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous";
