// The sender against Go's net/http HTTP/2 server (standard library only), on every transport.
import { registerSenderSuite } from "./sender-suite";
import { goServer } from "./servers";

registerSenderSuite(goServer);
