// The customer phone page of the WhatsApp simulator (modules/whatsapp/simulator/customer-phone.ts). No framework and
// no inline script: the app's Content-Security-Policy allows scripts from this origin only.
const base = '/simulator/whatsapp';
const shop = document.getElementById('shop');
const nameInput = document.getElementById('name');
const fromInput = document.getElementById('from');
const chat = document.getElementById('chat');
const errorLine = document.getElementById('error');
const composer = document.getElementById('composer');
const textInput = document.getElementById('text');
const sendButton = document.getElementById('send');

const stored = (key, fallback) => {
  try {
    return localStorage.getItem(`sim-phone:${key}`) ?? fallback;
  } catch {
    return fallback;
  }
};
const remember = (key, value) => {
  try {
    localStorage.setItem(`sim-phone:${key}`, value);
  } catch {
    // not remembered
  }
};

// A number of the demo's country, different per browser, so each newcomer is a new customer.
const randomNumber = () => `+51 9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
fromInput.value = stored('from', randomNumber());
nameInput.value = stored('name', nameInput.value);
const digits = () => fromInput.value.replace(/\D/g, '');

const ticks = { sent: '✓', delivered: '✓✓', read: '✓✓', failed: '!' };
const tickLabels = { sent: 'enviado', delivered: 'entregado', read: 'leído', failed: 'no enviado' };
const time = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

let lastRendered = '';
function render(items) {
  const key = JSON.stringify(items);
  if (key === lastRendered) return;
  lastRendered = key;
  chat.replaceChildren();
  if (items.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'empty';
    empty.textContent = 'Aún no hay mensajes con esta tienda.';
    chat.append(empty);
    return;
  }
  for (const item of items) {
    const bubble = document.createElement('div');
    bubble.className = `bubble ${item.from}`;
    bubble.dataset.status = item.status;
    const text = document.createElement('span');
    text.textContent = item.text;
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = time(item.at);
    // The shop's messages carry the ticks the CRM is told about; the customer's own, whether the CRM got them.
    const mark = document.createElement('span');
    mark.className = `ticks ${item.status}`;
    mark.textContent = ticks[item.status] ?? '';
    mark.title = tickLabels[item.status] ?? '';
    mark.setAttribute('aria-label', tickLabels[item.status] ?? '');
    meta.append(mark);
    bubble.append(text, meta);
    chat.append(bubble);
  }
  chat.scrollTop = chat.scrollHeight;
}

async function refresh() {
  if (!shop.value || digits().length < 5) return;
  const query = new URLSearchParams({ phoneNumberId: shop.value, from: digits() });
  const response = await fetch(`${base}/phone/chat?${query}`);
  if (response.ok) render((await response.json()).items);
}

async function loadNumbers() {
  const response = await fetch(`${base}/phone/numbers`);
  const { items } = await response.json();
  shop.replaceChildren();
  for (const number of items) {
    const option = document.createElement('option');
    option.value = number.phoneNumberId;
    option.textContent = `${number.verifiedName} · ${number.displayPhoneNumber}`;
    shop.append(option);
  }
  const wanted = new URLSearchParams(location.search).get('to') ?? stored('shop', '');
  if (items.some((n) => n.phoneNumberId === wanted)) shop.value = wanted;
  if (items.length === 0) errorLine.textContent = 'El simulador no tiene números conectados todavía.';
}

composer.addEventListener('submit', async (event) => {
  event.preventDefault();
  const text = textInput.value.trim();
  if (!text) return;
  if (digits().length < 8) {
    errorLine.textContent = 'Escribe tu número de WhatsApp con el código de país.';
    fromInput.focus();
    return;
  }
  errorLine.textContent = '';
  sendButton.disabled = true;
  try {
    const response = await fetch(`${base}/customer-messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phoneNumberId: shop.value,
        from: digits(),
        name: nameInput.value.trim() || undefined,
        text,
      }),
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => null);
      errorLine.textContent = problem?.errors?.[0]?.message ?? problem?.detail ?? 'No se pudo enviar.';
      return;
    }
    textInput.value = '';
    await refresh();
  } finally {
    sendButton.disabled = false;
    textInput.focus();
  }
});

shop.addEventListener('change', () => {
  remember('shop', shop.value);
  lastRendered = '';
  void refresh();
});
fromInput.addEventListener('change', () => {
  remember('from', fromInput.value);
  lastRendered = '';
  void refresh();
});
nameInput.addEventListener('change', () => remember('name', nameInput.value));

await loadNumbers();
await refresh();
setInterval(() => void refresh().catch(() => undefined), 1500);
