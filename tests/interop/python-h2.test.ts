// The sender against Python's hyper-h2 HTTP/2 server, on every transport.
import { registerSenderSuite } from "./sender-suite";
import { pythonH2Server } from "./servers";

registerSenderSuite(pythonH2Server);
