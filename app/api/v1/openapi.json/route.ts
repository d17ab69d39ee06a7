import { buildOpenApiDocument } from "@/lib/openapi/document";

// Public and static: the API's shape is no secret, and clients fetch it to generate code.
export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
