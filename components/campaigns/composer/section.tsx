import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** One step of the composer: a card with a level-2 heading. */
export function Section({
  id,
  title,
  description,
  actions,
  children,
}: {
  id: string;
  title: string;
  description?: React.ReactNode;
  actions?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Card aria-labelledby={`${id}-heading`} role="region">
      <CardHeader className="flex-row items-start justify-between gap-3 pb-4">
        <div className="flex flex-col gap-1.5">
          <CardTitle>
            <h2 id={`${id}-heading`} className="text-base">
              {title}
            </h2>
          </CardTitle>
          {description ? <CardDescription>{description}</CardDescription> : null}
        </div>
        {actions}
      </CardHeader>
      <CardContent className="flex flex-col gap-4">{children}</CardContent>
    </Card>
  );
}
