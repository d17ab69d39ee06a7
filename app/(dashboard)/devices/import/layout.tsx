import { permissionLayout } from "@/components/permission-layout";

// Admins only (devices.import), checked before anything streams so support gets a real 403.
export default permissionLayout("devices.import");
