// The device registry's public functions, for route handlers, server actions and pages.
export {
  registerDevice,
  registerDevices,
  type RegistrationResult,
  type RegistrationSummary,
} from "./register-devices";
export { findDevices, type DevicePage } from "./find-devices";
export {
  getDeviceByToken,
  getDeviceDetail,
  type DeviceDetail,
  type DeviceEventDto,
} from "./get-device";
export { getDeliveryTimeline, type DeliveryDto, type DeliveryPage } from "./device-deliveries";
export { unregisterDevice, revokeDevice } from "./unregister-device";
export { maskToken } from "./mask-token";
export { forgetApps, maySeeFullTokens, restrictedAppId, visibleToken } from "./device-access";
export type { DeviceDto } from "./device-dto";
