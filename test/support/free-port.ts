/** A TCP port on 127.0.0.1 that nothing listened on a moment ago: the local cloud's own helper. */
export { freeLoopbackPort as freePort } from '../../src/localcloud/free-port.js';
