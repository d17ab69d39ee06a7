import { ComposerSkeleton } from "../composer-skeleton";

export default function Loading() {
  return <ComposerSkeleton />;
}
