// The page talks to the channels through the client generated from them
// (pikku-websocket.gen.js, with its typings beside it): calls are promises matched to
// their reply by a correlation id, topic deliveries go to listeners, and a lost
// connection is re-opened with backoff, after which the onOpen hooks log in again.
import { PikkuClient, PikkuError } from './pikku-websocket.gen.js';

const $ = (selector) => document.querySelector(selector);
const client = new PikkuClient((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host);

const state = { token: null, userId: null, room: null, chat: null, todos: null, whoTimer: null };

function toast(text, kind = 'error') {
  const element = document.createElement('div');
  element.className = 'toast ' + kind;
  element.textContent = text;
  $('#toasts').append(element);
  setTimeout(() => element.remove(), 6000);
}

function explain(error) {
  switch (error.code) {
    case 'unauthorized': return error.message === 'Wrong username or password' ? error.message : 'Please sign in first.';
    case 'forbidden': return 'Only admins can do that.';
    case 'validation_failed': return 'Not valid: ' + (error.details || []).map((d) => (d.field ? d.field + ' ' : '') + d.message).join('; ');
    case 'not_found': return error.message;
    case 'too_large': return 'That is too long.';
    case 'disconnected': case 'timeout': return 'Connection problem, retrying…';
    default: return 'Something went wrong (' + error.code + ').';
  }
}

function fail(error) {
  if (error.code !== 'closed') {
    toast(explain(error));
  }
}

function status(name) {
  return (value) => {
    const element = $('#' + name + '-status');
    element.dataset.state = value;
    if (value === 'open') {
      element.dataset.opens = String(Number(element.dataset.opens || 0) + 1);
    }
    element.textContent = name + ': ' + value;
  };
}

// Sign-in

async function login(username, password) {
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status === 401) {
    throw new PikkuError({ code: 'unauthorized', message: 'Wrong username or password' });
  }
  if (!response.ok) {
    throw new PikkuError({ code: 'http_' + response.status, message: 'Login failed (' + response.status + ')' });
  }
  return (await response.json()).token;
}

async function signIn(username, password) {
  try {
    state.token = await login(username, password);
  } catch (error) {
    fail(error);
    return;
  }
  state.userId = username;
  $('#who-am-i').textContent = username;
  $('#session').hidden = false;
  await Promise.all([authenticate(state.chat, 'authenticate'), authenticate(state.todos, 'auth')]);
  await loadTodos();
  refreshWho();
}

async function authenticate(channel, action) {
  if (!channel || !channel.isOpen || !state.token) {
    return;
  }
  try {
    await channel.call(action, { token: state.token });
  } catch (error) {
    fail(error);
  }
}

async function signOut() {
  state.token = null;
  state.userId = null;
  $('#session').hidden = true;
  if (state.chat && state.chat.isOpen) {
    await state.chat.call('logout').catch(() => {});
  }
  state.todos.close();
  state.todos = connectTodos();
  renderTodos([]);
  renderPeople([]);
}

// Chat

function joinRoom(room) {
  if (state.chat) {
    state.chat.close();
  }
  state.room = room;
  $('#messages').replaceChildren();
  system('Joining ' + room + '…');
  const chat = client.channel('chat', { room });
  chat.onStatus(status('chat'));
  chat.onOpen(async (open) => {
    await authenticate(open, 'authenticate');
    refreshWho();
  });
  chat.onConnect((message) => system(message.welcome));
  chat.on('room:' + room, (delivery) => {
    addMessage(delivery.userId, delivery.message, delivery.timestamp, false);
    refreshWho();
  });
  chat.connect();
  state.chat = chat;
  clearInterval(state.whoTimer);
  state.whoTimer = setInterval(refreshWho, 2000);
}

function system(text) {
  const item = document.createElement('li');
  item.className = 'system';
  item.textContent = text;
  $('#messages').append(item);
}

function addMessage(userId, text, timestamp, mine) {
  const item = document.createElement('li');
  item.className = mine ? 'mine' : 'theirs';
  const meta = document.createElement('span');
  meta.className = 'meta';
  meta.textContent = new Date(timestamp).toLocaleTimeString() + ' ' + userId;
  const body = document.createElement('span');
  body.className = 'text';
  body.textContent = text;
  item.append(meta, ' ', body);
  $('#messages').append(item);
  $('#messages').scrollTop = $('#messages').scrollHeight;
}

async function sendMessage(text) {
  try {
    const reply = await state.chat.call('sendMessage', { message: text });
    addMessage(reply.userId, reply.message, reply.timestamp, true);
    $('#message').value = '';
  } catch (error) {
    fail(error);
  }
}

async function refreshWho() {
  if (!state.chat || !state.chat.isOpen || !state.token) {
    return;
  }
  try {
    renderPeople((await state.chat.call('who')).users);
  } catch (error) {
    if (error.code !== 'disconnected') {
      console.warn('who failed', error);
    }
  }
}

function renderPeople(users) {
  $('#people').replaceChildren(...users.map((user) => {
    const item = document.createElement('li');
    item.textContent = user;
    return item;
  }));
}

// Todos

function connectTodos() {
  const todos = client.channel('todos');
  todos.onStatus(status('todos'));
  todos.onOpen(async (open) => {
    if (!state.token) {
      return;
    }
    await authenticate(open, 'auth');
    await loadTodos(open);
  });
  todos.on('todos:updated', () => loadTodos(todos));
  todos.connect();
  return todos;
}

async function loadTodos(todos = state.todos) {
  if (!todos || !todos.isOpen || !state.token) {
    return;
  }
  try {
    await todos.call('subscribe');
    renderTodos((await todos.call('list')).todos);
  } catch (error) {
    fail(error);
  }
}

function renderTodos(todos) {
  $('#todos').replaceChildren(...todos.map((todo) => {
    const item = document.createElement('li');
    item.dataset.id = todo.id;
    item.className = todo.completed ? 'done' : '';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = todo.completed;
    box.disabled = todo.completed;
    box.addEventListener('change', () => state.todos.call('complete', { id: todo.id }).catch(fail));
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = todo.text;
    const owner = document.createElement('span');
    owner.className = 'owner';
    owner.textContent = todo.owner;
    item.append(box, text, owner);
    return item;
  }));
}

// Wiring the page

$('#login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  signIn($('#username').value.trim(), $('#password').value);
});
document.querySelectorAll('[data-user]').forEach((button) => button.addEventListener('click', () => {
  $('#username').value = button.dataset.user;
  $('#password').value = button.dataset.user + '-pass';
}));
$('#logout').addEventListener('click', signOut);
$('#join-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const room = $('#room').value.trim();
  if (room) {
    joinRoom(room);
  }
});
$('#message-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sendMessage($('#message').value);
});
$('#todo-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await state.todos.call('create', { text: $('#todo-text').value });
    $('#todo-text').value = '';
  } catch (error) {
    fail(error);
  }
});
$('#clear-todos').addEventListener('click', async () => {
  try {
    const reply = await state.todos.call('clear');
    toast('Cleared ' + reply.cleared + ' todos.', 'info');
  } catch (error) {
    fail(error);
  }
});

state.todos = connectTodos();
joinRoom($('#room').value);
window.pikkuSample = state;
