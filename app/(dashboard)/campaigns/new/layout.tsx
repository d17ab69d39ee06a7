import { permissionLayout } from "@/components/permission-layout";

// Checked here, before loading.tsx streams: support (and anyone without campaigns.write) gets 403.
export default permissionLayout("campaigns.write");
