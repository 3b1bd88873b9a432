// A Node program that uses the sample's generated client against a running sample:
// node roundtrip.mjs <client module> <ws base URL> <token> <node_modules with ws>. It
// prints one JSON line per step; after "close-me" the test closes every connection on the
// server, and the client must reconnect, log in again in its onOpen hook and receive
// topics again. Node 22 and later have a WebSocket of their own; before, ws stands in.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulePath, base, token, modules] = process.argv.slice(2);
const { PikkuClient, PikkuError } = await import(pathToFileURL(modulePath).href);
const WebSocketClass = globalThis.WebSocket ?? createRequire(join(modules, 'index.js'))('ws');

const say = (message) => console.log(JSON.stringify(message));
const within = (promise, what, ms = 10000) => Promise.race([promise,
  new Promise((resolve, reject) => setTimeout(() => reject(new Error('Timed out: ' + what)), ms))]);

const client = new PikkuClient(base, {
  WebSocket: WebSocketClass,
  timeoutMs: 5000,
  reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
});
const results = {};

// A call, and a typed error.
const echo = client.channel('echo');
results.echo = await echo.call('echo', { text: 'hello from node' });
try {
  await echo.call('echo', { text: '' });
  results.validation = 'no error';
} catch (error) {
  results.validation = { isPikkuError: error instanceof PikkuError, isEchoError: echo.isError(error, 'echo'),
    code: error.code, details: error.details };
}

// The onConnect message of a channel with path variables.
const chat = client.channel('chat', { room: 'node', name: 'Node' });
const welcome = new Promise((resolve) => chat.onConnect((message) => resolve(message)));
await chat.connect();
results.welcome = await within(welcome, 'welcome');

// A hook that logs in and subscribes after every connect, and a topic delivery.
const todos = client.channel('todos');
let opens = 0;
let reopened;
const reopenedOnce = new Promise((resolve) => { reopened = resolve; });
todos.onOpen(async (open) => {
  await open.call('auth', { token });
  await open.call('subscribe');
  opens++;
  if (opens === 2) {
    reopened();
  }
});
const statuses = [];
todos.onStatus((status) => statuses.push(status));
const delivery = (text) => within(new Promise((resolve) => todos.on('todos:updated', (event) => {
  if (event.todo && event.todo.text === text) {
    resolve(event);
  }
})), 'delivery of ' + text);
const first = delivery('first from node');
const created = await todos.call('create', { text: 'first from node' });
results.created = created.todo.text;
results.delivery = await first;
try {
  await todos.call('complete', { id: 'no-such-todo' });
} catch (error) {
  results.notFound = { code: error.code, message: error.message, action: error.action };
}

// A reconnect: the test closes every connection when it reads this line.
say({ step: 'close-me' });
await within(reopenedOnce, 'reconnect and log in again');
const second = delivery('second from node');
await todos.call('create', { text: 'second from node' });
results.afterReconnect = (await second).todo.text;
results.statuses = [...statuses];
results.opens = opens;

echo.close();
chat.close();
todos.close();
say({ step: 'done', results });
