import { describeType, type JsonSchema } from "@/lib/openapi/reference-model";

/** An object schema as a field list: name, type with its limits, required or not. */
export function SchemaTable({ schema }: { schema: JsonSchema }) {
  const target = schema.type === "array" && schema.items ? schema.items : schema;
  const properties = Object.entries(target.properties ?? {});
  if (!properties.length)
    return <p className="text-muted-foreground font-mono text-xs">{describeType(schema)}</p>;

  return (
    <div className="overflow-x-auto rounded-md border">
      <table className="w-full text-sm">
        <thead className="bg-muted/50 text-muted-foreground text-left text-xs">
          <tr>
            <th className="px-3 py-2 font-medium">Field</th>
            <th className="px-3 py-2 font-medium">Type</th>
            <th className="px-3 py-2 font-medium">Required</th>
          </tr>
        </thead>
        <tbody>
          {properties.map(([name, prop]) => (
            <tr key={name} className="border-t align-top">
              <td className="px-3 py-2 font-mono text-xs">{name}</td>
              <td className="text-muted-foreground px-3 py-2 font-mono text-xs break-words">
                {describeType(prop)}
                {typeof prop.description === "string" ? (
                  <span className="mt-0.5 block font-sans">{prop.description}</span>
                ) : null}
              </td>
              <td className="px-3 py-2 text-xs">
                {target.required?.includes(name) ? (
                  "yes"
                ) : (
                  <span className="text-muted-foreground">no</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
