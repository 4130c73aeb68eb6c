import { deserialize, type Document } from 'bson';

const OP_QUERY = 2004;
const OP_MSG = 2013;

/** The write commands among wire-protocol messages (a command's name is its first key). */
export function writeCommandsOf(messages: Buffer[]): Document[] {
  return messages
    .filter((message) => message.readInt32LE(12) === OP_MSG)
    .map(commandOf)
    .filter((command) => WRITE_COMMANDS.includes(Object.keys(command)[0]));
}

const WRITE_COMMANDS = ['insert', 'update', 'findAndModify', 'delete'];

/**
 * The command document of a MongoDB wire-protocol message: the handshake is an OP_QUERY (legacy
 * hello) or an OP_MSG whose body section holds it.
 */
export function commandOf(message: Buffer): Document {
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) {
    // header (16), flagBits (4), then section kind 0: one BSON document.
    if (message.readUInt8(20) !== 0) throw new Error('OP_MSG does not start with a body section');
    return deserialize(message.subarray(21, 21 + message.readInt32LE(21)));
  }
  if (opCode === OP_QUERY) {
    // header (16), flags (4), fullCollectionName (cstring), numberToSkip (4), numberToReturn (4), query.
    const nameEnd = message.indexOf(0, 20);
    const start = nameEnd + 1 + 8;
    return deserialize(message.subarray(start, start + message.readInt32LE(start)));
  }
  throw new Error(`Unexpected opCode ${opCode} for a first message`);
}
