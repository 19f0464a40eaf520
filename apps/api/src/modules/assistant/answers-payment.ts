import { list, METHOD_NAMES, type Speaker, sentence } from './answer-words';

/** The methods the shop takes (and the asked ones it does not), and its instalments. */
export function paymentAnswer(s: Speaker): [string, boolean] {
  const { pt, facts, confirm } = s;
  const p = facts?.payment;
  const asked = s.questions.methods;
  const parts: string[] = [];
  let known = true;
  if (!p || p.methods.length === 0) {
    if (asked.length > 0 || !s.questions.installments) {
      parts.push(confirm(pt ? 'As formas de pagamento' : 'Los medios de pago', 'los'));
      known = false;
    }
  } else {
    const names = p.methods.map((m) => METHOD_NAMES[m][s.language]);
    const named = (methods: typeof asked) =>
      list(
        methods.map((m) => METHOD_NAMES[m][s.language]),
        s.language,
      );
    const missing = asked.filter((m) => !p.methods.includes(m));
    // The shop's other methods, after the asked ones it takes.
    const others =
      p.methods.length > asked.length
        ? list(
            names.filter((n) => !asked.some((m) => METHOD_NAMES[m][s.language] === n)),
            s.language,
          )
        : null;
    if (missing.length > 0)
      parts.push(
        pt
          ? `No momento não aceitamos ${named(missing)}; você pode pagar com ${list(names, 'pt')}.`
          : `Por ahora no aceptamos ${named(missing)}; puedes pagar con ${list(names, 'es')}.`,
      );
    else if (asked.length > 0)
      parts.push(
        pt
          ? `Sim, aceitamos ${named(asked)}${others === null ? '' : ` (também ${others})`}.`
          : `Sí, aceptamos ${named(asked)}${others === null ? '' : ` (también ${others})`}.`,
      );
    else
      parts.push(pt ? `Você pode pagar com ${list(names, 'pt')}.` : `Puedes pagar con ${list(names, 'es')}.`);
  }
  if (s.questions.installments || p?.installments.offered === true) {
    const i = p?.installments;
    if (!i || i.offered === null) {
      if (s.questions.installments) {
        parts.push(confirm(pt ? 'O parcelamento' : 'Lo de las cuotas', 'lo'));
        known = false;
      }
    } else if (i.offered === false) {
      if (s.questions.installments)
        parts.push(pt ? 'Não parcelamos por enquanto.' : 'Por ahora no trabajamos con cuotas.');
    } else {
      const count = i.maxCount
        ? pt
          ? ` em até ${i.maxCount}x`
          : ` hasta en ${i.maxCount} cuotas`
        : pt
          ? ''
          : ' en cuotas';
      const free = i.interestFree === true ? (pt ? ' sem juros' : ' sin intereses') : '';
      parts.push(
        pt ? `Com cartão dá para parcelar${count}${free}.` : `Con tarjeta puedes pagar${count}${free}.`,
      );
    }
  }
  if (p?.note) parts.push(sentence(p.note));
  return [parts.join(' '), known];
}
