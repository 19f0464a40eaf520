/**
 * Product families named in a message (normalized text, see normalize.ts), one feature each for
 * the category model. Like the signals, they only feed the model, which weighs them against the
 * words around them ("cargador de laptop" names a laptop but is an accessory).
 */
export const PRODUCT_TERMS: Record<string, RegExp> = {
  PHONES:
    /\b(?:celular(?:es)?|cel|celu|telefono|smartphone|iphones?|aifon|galaxy|samsung|samsum|redmi|xiaomi|xiaome|poco|motorola|moto|honor|huawei|pixel|oppo|realme|tablets?|ipad|razr|a\d{2}|s\d{2}|chip)\b/,
  LAPTOPS:
    /\b(?:laptops?|lapto|lap|notebooks?|notbook|macbook|ideapad|thinkpad|vivobook|zenbook|inspiron|latitude|pavilion|victus|nitro|aspire|compu|computadora|computador|portatil|mac)\b/,
  COMPONENTS:
    /\b(?:ssd|hdd|hd|disco|ram|memoria|memoria ram|ddr\d|rtx|gtx|rx|\d{4} ti|tarjeta de video|placa de video|placa madre|motherboard|procesador|ryzen|intel|i[3579]|fuente|gabinete|pc|pcs|cpu|torre|pasta termica|nvme|escritorio)\b/,
  GAMING:
    /\b(?:ps[345]|play|playstation|xbox|nintendo|switch (?:oled|lite)|dualsense|joystick|control(?:es)?|controle|mando|steam deck|juegos?|jogos?|consolas?|videojuegos|silla gamer|fifa|zelda)\b/,
  NETWORKING:
    /\b(?:router|roteador|wifi|repetidor|switch de|switch|access points?|mesh|deco|utp|cat ?\d|rj45|red|rede|internet|camaras?|cameras?|cctv|ubiquiti|tp link|mercusys|modem|fibra|antenas?|cableado)\b/,
  ACCESSORIES:
    /\b(?:audifonos?|fones?|auriculares|headsets?|mouse|teclado|monitor(?:es)?|cargador(?:es)?|carregador(?:es)?|cables?|cabos?|fundas?|capinhas?|micas?|peliculas?|protector|power ?bank|smartwatch|reloj|parlantes?|webcam|hub|mochila|soporte|suporte|airpods|jbl|logitech|redragon|hdmi)\b/,
  PRINTERS:
    /\b(?:impresoras?|impressoras?|toners?|tinta|cartuchos?|epson|canon|brother|ecotank|multifuncional|fotocopiadora|papel|l\d{3,4})\b/,
  OTHER:
    /\b(?:tv|tele|televisor(?:es)?|smart tv|proyector(?:es)?|drones?|camaras? fotograficas?|gopro|parlantes y microfonos)\b/,
};

export function detectProducts(normalized: string): string[] {
  const found: string[] = [];
  for (const [category, pattern] of Object.entries(PRODUCT_TERMS))
    if (pattern.test(normalized)) found.push(category);
  return found;
}
