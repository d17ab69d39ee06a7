import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";

/** "Start from a template": a GET form, so the composer opens with the template's message. */
export function TemplatePicker({
  templates,
  current,
}: {
  templates: { id: string; name: string; pushType: string }[];
  current?: string;
}) {
  if (templates.length === 0) return null;

  return (
    <form method="get" action="/campaigns/new" className="flex flex-wrap items-end gap-2">
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="template">Start from a template</Label>
        <Select id="template" name="template" defaultValue={current ?? ""} className="w-64">
          <option value="">Blank alert</option>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name} ({t.pushType})
            </option>
          ))}
        </Select>
      </div>
      <Button type="submit" variant="outline">
        Use
      </Button>
    </form>
  );
}
