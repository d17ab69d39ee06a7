import { Search, X } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import type { DeviceQuery } from "./search-params";

type SearchFormProps = {
  query: DeviceQuery;
  apps: { bundleId: string; name: string }[];
  fieldErrors?: Record<string, string[]>;
};

// Field name in findDevices' schema → the form field that carries it.
const ERROR_FIELD: Record<string, keyof DeviceQuery> = {
  userId: "user",
  token: "token",
  tokenPrefix: "token",
  tag: "tag",
  app: "app",
  cursor: "user",
};

/** A plain GET form: the search lives in the URL, so results can be shared and work without JS. */
export function SearchForm({ query, apps, fieldErrors = {} }: SearchFormProps) {
  const errorOf = (field: keyof DeviceQuery) =>
    Object.entries(fieldErrors).find(([key]) => ERROR_FIELD[key] === field)?.[1]?.[0];
  const field = (name: keyof DeviceQuery, label: string, placeholder: string, className = "") => {
    const error = errorOf(name);

    return (
      <div className={`flex flex-col gap-1.5 ${className}`}>
        <Label htmlFor={`search-${name}`}>{label}</Label>
        <Input
          id={`search-${name}`}
          name={name}
          defaultValue={query[name] ?? ""}
          placeholder={placeholder}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `search-${name}-error` : undefined}
          className={name === "token" ? "font-mono" : undefined}
          spellCheck={false}
          autoComplete="off"
        />
        {error ? (
          <p id={`search-${name}-error`} className="text-destructive text-xs">
            {error}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <form
      method="get"
      action="/devices"
      role="search"
      aria-label="Search devices"
      className="bg-card grid gap-4 rounded-xl border p-4 sm:grid-cols-2 lg:grid-cols-6"
    >
      {field("user", "User ID", "user-0001", "lg:col-span-2")}
      {field("token", "Token (full or prefix)", "a1b2c3…", "lg:col-span-2")}
      {field("tag", "Tag", "beta", "lg:col-span-2")}
      <div className="flex flex-col gap-1.5 lg:col-span-2">
        <Label htmlFor="search-app">App</Label>
        <Select id="search-app" name="app" defaultValue={query.app ?? ""}>
          <option value="">All apps</option>
          {apps.map((app) => (
            <option key={app.bundleId} value={app.bundleId}>
              {app.name} ({app.bundleId})
            </option>
          ))}
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="search-environment">Environment</Label>
        <Select id="search-environment" name="environment" defaultValue={query.environment ?? ""}>
          <option value="">Any</option>
          <option value="production">Production</option>
          <option value="sandbox">Sandbox</option>
        </Select>
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="search-status">Status</Label>
        <Select id="search-status" name="status" defaultValue={query.status ?? ""}>
          <option value="">Any</option>
          <option value="active">Active</option>
          <option value="invalid">Invalid</option>
          <option value="revoked">Revoked</option>
        </Select>
      </div>
      <div className="flex items-end gap-2 sm:col-span-2 lg:col-span-2">
        <Button type="submit">
          <Search aria-hidden /> Search
        </Button>
        <Button variant="ghost" asChild>
          <Link href="/devices">
            <X aria-hidden /> Clear
          </Link>
        </Button>
      </div>
    </form>
  );
}
