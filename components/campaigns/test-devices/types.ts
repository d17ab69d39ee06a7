/** A test device as the panel shows it (dates as ISO strings). */
export type TestDeviceRow = {
  deviceId: number;
  label: string | null;
  app: { id: string; name: string; bundleId: string };
  environment: string;
  status: string;
  token: string;
  tokenMasked: boolean;
  locale: string | null;
  model: string | null;
};

export type TestAnswer = {
  deviceId: number;
  label: string | null;
  token: string;
  locale: string | null;
  apnsId: string;
  status: number;
  reason: string | null;
  deviceInvalidated: boolean;
};

type Result<T> = { ok: true; data: T } | { ok: false; error: string };

export type TestDeviceActions = {
  add: (
    input: { token: string } | { deviceId: number } | { userId: string },
  ) => Promise<Result<TestDeviceRow>>;
  remove: (input: { deviceId: number }) => Promise<Result<unknown>>;
  send: (input: {
    appId: string;
    environment: "production" | "sandbox";
    message: unknown;
  }) => Promise<Result<{ results: TestAnswer[] }>>;
};
