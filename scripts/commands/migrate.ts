import { bootstrapForCli } from "./bootstrap-for-cli";
import type { Command } from "./types";

const migrate: Command = async () => {
  const { provider, applied } = await bootstrapForCli();
  console.log(
    applied.length
      ? `applied on ${provider}: ${applied.join(", ")}`
      : `${provider}: already up to date`,
  );

  return 0;
};

export default migrate;
