import { ZodError } from "zod";
import { describeZodError } from "@/lib/auth/guard";
import { isAppError } from "@/lib/errors";

/** Runs a CLI step; expected failures (validation, conflicts) print one clear line and exit 2. */
export async function runCliStep(step: () => Promise<number>): Promise<number> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ZodError) {
      console.error(`error: ${describeZodError(error)}`);

      return 2;
    }
    if (isAppError(error)) {
      console.error(`error: ${error.message}`);

      return 2;
    }
    throw error;
  }
}
