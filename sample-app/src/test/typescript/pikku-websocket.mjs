// Code written for Pikku's generated client, run against a running sample with only its
// import changed: node pikku-websocket.mjs <client module> <ws base URL> <token>
// <node_modules with ws>. It uses PikkuWebSocket the way @pikku/websocket is used: no
// correlationId, replies and errors reach a route's subscribers by action, deliveries reach
// subscribeToEventHub by topic. It prints one JSON line with the results. Node 22 and
// later have a WebSocket of their own; before, ws stands in.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulePath, base, token, modules] = process.argv.slice(2);
const { PikkuWebSocket } = await import(pathToFileURL(modulePath).href);
const WebSocketClass = globalThis.WebSocket ?? createRequire(join(modules, 'index.js'))('ws');

// A promise that fails after a while; its timer is cleared, so that Node exits once done.
function within(promise, what, ms = 10000) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error('Timed out: ' + what)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function connect(path) {
  const ws = new WebSocketClass(base + path);
  const pikku = new PikkuWebSocket(ws);
  await within(new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve);
    ws.addEventListener('error', () => reject(new Error('Cannot connect to ' + path)));
  }), 'open ' + path);
  return { ws, pikku };
}

// The next message the subscribers of an action receive after sending it: what a Pikku
// user's route.subscribe callback sees.
function call(route, action, input) {
  const answer = new Promise((resolve) => {
    const once = (data) => {
      route.unsubscribe(action, once);
      resolve(data);
    };
    route.subscribe(action, once);
  });
  route.send(action, input);
  return within(answer, 'an answer to ' + action);
}

const results = {};
const { ws, pikku } = await connect('/todos');
const route = pikku.getRoute('action');

// Everything the subscribers of 'create' and of the topic receive, to show that replies and
// deliveries each reach only their own subscribers.
const creates = [];
route.subscribe('create', (data) => creates.push(data.error ? data.error.code : data.todo.text));
const deliveries = [];
let delivered;
const delivery = new Promise((resolve) => { delivered = resolve; });
pikku.subscribeToEventHub('todos:updated', (event) => {
  deliveries.push(event.event + ' ' + event.todo.text);
  delivered(event);
});

// An error to a route subscriber: no session yet.
results.unauthorized = await call(route, 'create', { text: 'before login' });

// Log in and subscribe in-band, then a call answered by action, and its delivery.
results.auth = await call(route, 'auth', { token });
results.subscribe = await call(route, 'subscribe', {});
const created = await call(route, 'create', { text: 'from pikku' });
results.created = { keys: Object.keys(created), text: created.todo.text, owner: created.todo.owner };
const event = await within(delivery, 'the delivery of the created todo');
results.delivery = { topic: event.topic, event: event.event, text: event.todo.text, id: event.todo.id === created.todo.id };

// Errors with details and a function's own code, to the route's subscribers.
results.invalid = await call(route, 'create', { text: '' });
results.notFound = await call(route, 'complete', { id: 'no-such-todo' });
results.creates = creates;
results.deliveries = deliveries;

// The other way to log in: a token in the query when connecting.
const withToken = await connect('/todos?access_token=' + encodeURIComponent(token));
const list = await call(withToken.pikku.getRoute('action'), 'list', {});
results.listWithToken = { action: list.action, texts: list.todos.map((todo) => todo.text).filter((text) => text === 'from pikku') };

ws.close();
withToken.ws.close();
console.log(JSON.stringify({ step: 'done', results }));
