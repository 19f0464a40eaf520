import { list, type Speaker, sentence } from './answer-words';
import { plainText } from './questions';
import type { ReplyFacts } from './reply-facts';

/** The shop's zones the message names ("Miraflores" in "¿hacen delivery a Miraflores?"). */
function zonesNamed(facts: ReplyFacts, plain: string) {
  return facts.delivery.zones.filter((zone) => {
    const name = plainText(zone.name);
    return name.trim() !== '' && plain.includes(name);
  });
}

/** Whether the shop delivers, to the zone the customer named and at what cost, and whether they can pick up. */
export function deliveryAnswer(s: Speaker): [string, boolean] {
  const { pt, facts, confirm, money } = s;
  const d = facts?.delivery;
  const pickup = facts?.pickup;
  const pickupText =
    pickup?.offered === true
      ? pt
        ? ' Também pode retirar na loja.'
        : ' También puedes recoger en tienda.'
      : '';
  const note = d?.note ? ` ${sentence(d.note)}` : '';
  if (!d || d.offered === null) {
    const text = confirm(pt ? 'Se fazemos entrega na sua região' : 'Si hacemos delivery a tu zona', 'lo');
    return [text + pickupText, false];
  }
  if (d.offered === false)
    return [
      (pt ? 'Por enquanto não fazemos entregas.' : 'Por ahora no hacemos delivery.') +
        (pickup?.offered === true ? (pt ? ' Pode retirar na loja.' : ' Puedes recogerlo en tienda.') : '') +
        note,
      true,
    ];
  const named = zonesNamed(facts, s.questions.plain);
  const cost = (zone: ReplyFacts['delivery']['zones'][number]) => {
    const price =
      zone.price === 0
        ? pt
          ? 'é grátis'
          : 'es gratis'
        : pt
          ? `custa ${money(zone.price)}`
          : `cuesta ${money(zone.price)}`;
    const days =
      zone.days === null
        ? ''
        : zone.days === 0
          ? pt
            ? ' e chega no mesmo dia'
            : ' y llega el mismo día'
          : pt
            ? ` e chega em ${zone.days} ${zone.days === 1 ? 'dia' : 'dias'}`
            : ` y llega en ${zone.days} ${zone.days === 1 ? 'día' : 'días'}`;
    return `${price}${days}`;
  };
  if (named.length > 0) {
    const each = named.map((zone) =>
      pt ? `a entrega em ${zone.name} ${cost(zone)}` : `el delivery a ${zone.name} ${cost(zone)}`,
    );
    const text = list(each, s.language);
    return [`${pt ? 'Sim, ' : 'Sí, '}${text}.${pickupText}${note}`, true];
  }
  if (d.zones.length === 0)
    return [
      (pt
        ? 'Sim, fazemos entregas; o valor do frete para o seu endereço eu te confirmo em seguida.'
        : 'Sí, hacemos delivery; el costo a tu zona te lo confirmo en un momento.') +
        pickupText +
        note,
      false,
    ];
  const shown = d.zones
    .slice(0, 4)
    .map((zone) => `${zone.name} (${zone.price === 0 ? (pt ? 'grátis' : 'gratis') : money(zone.price)})`);
  const rest = d.zones.length > 4 ? (pt ? ' entre outras' : ', entre otras') : '';
  return [
    (pt
      ? `Sim, fazemos entregas em ${list(shown, 'pt')}${rest}; se a sua região for outra, eu te confirmo o valor.`
      : `Sí, hacemos delivery a ${list(shown, 'es')}${rest}; si tu zona es otra, te confirmo el costo.`) +
      pickupText +
      note,
    true,
  ];
}
