import { permissionLayout } from "@/components/permission-layout";

// Checked here, before loading.tsx streams, so that a forbidden visit answers 403.
export default permissionLayout("api-docs.read");
