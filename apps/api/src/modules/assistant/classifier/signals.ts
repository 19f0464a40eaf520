/**
 * Hand-written signal lists (Spanish and Brazilian Portuguese) for urgency, buying intent,
 * business purchases, browsing and repair wording. They do not decide anything on their own: each
 * one is a feature of the statistical model (features.ts), which learns how much it weighs, and
 * they give the seller readable reasons. Patterns run on normalized text (normalize.ts): lowercase,
 * no accents, numbers as `_num`/`_bignum`, emojis as `_emo_*`.
 */

export interface SignalRule {
  re: RegExp;
  /** Short phrase shown to the seller, in the customer's words where it helps. */
  label: string;
}

const DAYS = '(?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|segunda|terca|quarta|quinta|sexta)';

export const SIGNALS = {
  urgency: [
    {
      re: /\b(?:para |pra |ainda |hoy |hoje )?(?:hoy|hoje|hj)(?: mismo| msm| en la (?:tarde|noche))?\b/,
      label: 'para hoy',
    },
    {
      re: /(?<!\b(?:no es|nao e|nada|sin|no|nao|n) )\burgen(?:te|cia|tisimo)s?\b|\b_emo_urgent\b|\bsos\b|\bsocorro\b/,
      label: 'urgente',
    },
    {
      re: /\b(?<!\b(?:por|no es para|nao e pra|nao e para) )(?:ahora|agora)(?: mismo| pouco)?\b|\bahorita\b|\bya mismo\b|\b(?:quiero|necesito|kiero) (?:\w+ )?ya\b|\bdaqui a pouco\b|\ben un rato\b/,
      label: 'ahora',
    },
    { re: /\bmanana\b|\bamanha\b/, label: 'para mañana' },
    { re: /\bal (?:toque|tiro)\b|\bexpress\b|\ben el (?:dia|momento)\b|\bna hora\b/, label: 'en el momento' },
    {
      re: /\b(?:lo antes posible|lo mas pronto|cuanto antes|o quanto antes|o mais rapido|asap)\b/,
      label: 'lo antes posible',
    },
    {
      re: new RegExp(
        `\\b(?:para el|pro|para o|el|este|no|ate|hasta el) ${DAYS}\\b|\\b(?:ate|hasta) (?:amanha|manana|hoje|hoy)\\b`,
      ),
      label: 'tiene fecha',
    },
    {
      re: /\b(?:esta|essa|nesta) (?:tarde|noche|semana|noite)\b|\b(?:antes de las|en|em) (?:_num |una |dos |\w+ )?(?:horas?|minutos?|hs)\b/,
      label: 'tiene fecha',
    },
    {
      re: /\b(?:cumple|cumpleanos|aniversario|evento|boda|viajo|viaje|torneo|campeonato|examen|prova|sustentar|sustentacion|tesis|tcc|presentacion|apresentar|reunion|inauguramos|inauguracion|clase virtual|aula online|dia de la madre|declarar|declaraciones)\b/,
      label: 'tiene un evento o plazo',
    },
  ],
  blocking: [
    {
      re: /\bno (?:puedo|podemos|puede|pueden) (?:trabajar|vender|facturar|cobrar|imprimir|despachar|atender|operar)\b|\b(?:nao|n) (?:consigo|consegue|conseguimos|da pra) (?:trabalhar|vender|emitir|cobrar|despachar|atender)\b|\bsin (?:el|ella|eso) no (?:puedo|trabajo)\b|\bsem ele (?:nao|n) trabalho\b/,
      label: 'el equipo le impide trabajar',
    },
    {
      re: /\b(?:trabajo|trabalho) con (?:el|ele|ella)\b|\bsin poder trabajar\b|\b(?:no pasan|nao passa) (?:las )?(?:tarjetas|cartao)\b|\bclientes esperando\b|\btienda abierta\b|\bnegocio (?:esta )?parad|\bsoy (?:delivery|contadora|contador|vendedora?|taxista)\b|\bsou (?:motoboy|vendedora?|motorista)\b|\bpedidos (?:me llegan|por whatsapp|pelo whatsapp)\b|\brecebo os pedidos\b|\bnadie puede trabajar\b|\bninguem consegue trabalhar\b|\bdel negocio\b|\bdo meu negocio\b|\bno funcionan las comandas\b|\bos pedidos nao saem\b/,
      label: 'el equipo le impide trabajar',
    },
  ],
  payment: [
    {
      re: /\b(?:como|donde|a que cuenta|que cuenta|adonde|onde) (?:te |les |se los |se lo |le |lo |eu )?(?:pago|deposito|transfiero|yapeo|pagamos|deposita|faco pra pagar|pago)\b|\bcomo (?:hago|puedo|faco) (?:para |pra )?(?:pagar|comprar)\b|\b(?:numero|datos) (?:de|para el) (?:cuenta|deposito)\b|\bchave pix\b|\bqual o pix\b|\bles yapeo\b|\bte (?:yapeo|transfiero|deposito)\b|\bya te (?:hice|transferi|deposite)\b|\bja fiz o pix\b|\bpago (?:no|por|con) (?:pix|yape|plin|nequi|transferencia)\b|\bpago agora\b|\bla pago ahora\b/,
      label: 'pregunta cómo pagar',
    },
  ],
  decision: [
    {
      re: /\b(?:me (?:lo|la|los) (?:llevo|quedo)|(?<!\b(?:se|te|les|no) )(?:lo|la|los) (?:compro|quiero|kiero)|me quedo con|listo compro|ya compro|ya decidi|vou levar|fico com|fechado|quero esse|quero essa|(?<!\b(?:me|eu|se|que|quando|talvez|capaz) )compro (?:el|la|o|a)|quero o)\b/,
      label: 'dice que lo compra',
    },
  ],
  hold: [
    {
      re: /\b(?:apart|separ|reserv|guard)(?:a|e|en)?(?:me|melo|mela|nmelo|lo|la)\b|\bme (?:lo|la) (?:apartan|aparta|apartas|separan|separas|guardas|guardan|reservan|reservas)\b|\b(?:separa|reserva|guarda) pra mim\b|\bte dejo sena\b/,
      label: 'pide que se lo separen',
    },
  ],
  delivery: [
    {
      re: /\b(?:a que direccion|direccion de entrega|endereco de entrega|lo mandan|la mandan|mandenme|me lo envian|envienmelo|paso a (?:buscar|recoger|pagar)|posso retirar|voy para alla|estoy afuera|voy en|paso hoy|passo hoje|busco hoje|amanha eu busco)\b/,
      label: 'coordina la entrega',
    },
  ],
  business: [
    {
      re: /\b(?:empresa|(?<!para )oficina|negocio|call center|colegio|escuela|escola|hotel|clinica|municipalidad|restaurante|almacen|agencia|sucursal|distribuidor(?:es)?|mayorista|por mayor|al por mayor|por volumen|por cantidad|precio por cantidad|revender|reventa|revenda|atacado|cnpj|ruc|rfc|nit|cuit|con factura|facturan|me facturan|com nota|emitem nota|cotizacion formal|licitacion|flota|vendedores|equipe de vendas|(?:meu|do|no|nosso) escritorio|minha loja|da minha loja|mi tienda|de mi tienda|mi local|mi puesto|mantenimiento mensual|contrato mensal)\b/,
      label: 'compra de empresa',
    },
    {
      re: /\b(?:_num|_bignum|diez|veinte|treinta|cien) (?:\w+ )?(?:unidades|celulares|iphones|laptops|notebooks|equipos|pcs|computadoras|computadores|impresoras|monitores|cargadores|toners|tonners|access point|cameras|camaras|ssd|headsets|ps5|mouse|cabos|metros|puntos|fones|fundas|pantallas)\b/,
      label: 'compra por volumen',
    },
  ],
  browsing: [
    {
      re: /\bsolo (?:estoy |estaba |ando )?(?:mirando|viendo|miraba|preguntando|preguntaba|consulto|consultaba|averiguo|curioseando|queria (?:saber|ver|preguntar)|quiero saber)\b|\b(?:mirando|viendo|cotizando) nomas\b|\bando viendo\b|\bso (?:olhando|perguntando|curiosidade|tava olhando|queria saber)\b|\b(?:por|so) curiosidad(?:e)?\b|\bcurioseando\b|\bestoy (?:viendo|cotizando|averiguando|comparando)\b|\bto (?:pesquisando|decidindo|vendo)\b|\bnada solo\b|\b(?:solo|so) (?:por|pra|para) saber\b|\bdando uma olhada\b|\bso (?:tava|estava) vendo\b|\bsolo (?:veia|miraba|curioseo)\b|\bnada mas viendo\b/,
      label: 'solo está mirando',
    },
    {
      re: /\b(?:mas adelante|mais pra frente|algun dia|algun momento|um dia|el ano que viene|ano que vem|el proximo ano|el otro (?:mes|ano|semestre)|el mes que viene|mes que vem|fin de ano|fim do ano|en diciembre|em dezembro|para navidad|no natal|pa cuando|para cuando|cuando tenga|cuando me paguen|juntando (?:plata|dinero|dinheiro)|ahorrando|aguinaldo|gratificacion|en vacaciones|nas ferias|(?:en|em|para|pra) (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro)|despues (?:les escribo|veo)|depois (?:vejo|eu vejo))\b/,
      label: 'lo deja para más adelante',
    },
    {
      re: /\b(?:tal vez|talvez|quizas|quiza|capaz|a lo mejor|quem sabe|no se todavia|todavia no (?:se|decido)|nao sei se|no es (?:para ahora|para ya|para hoy|urgente)|nao e (?:urgente|pra agora|para agora)|esperando (?:el|la|o|a) (?:cyber|black|oferta|promo)\w*|por ahora no|por el momento no|por enquanto|por si acaso|lo voy a pensar|vou pensar|no tengo apuro|fuera de mi presupuesto)\b/,
      label: 'sin intención clara',
    },
  ],
  repair: [
    {
      re: /\b(?:repar\w*|arregl\w*|conserto|consert\w*|arrum\w*|revis\w*|diagnostic\w*|mantenimiento|manutencao|limpieza|limpeza|limpi\w*|format\w*|reset\w*|desbloque(?!ad[oa])\w*|liber(?!ad[oa])\w*|testear|testar)\b/,
      label: 'pide reparación o mantenimiento',
    },
    {
      re: /\b(?:instal\w*|configur\w*|cablea\w*|armado|hacen upgrade|fazem upgrade|(?:me )?(?:arman|armen|montam|montem) (?:la |o |una |um )?pc|cobran por armar|cobram (?:pra|para) montar|(?:les llevo|con) las piezas|(?:levar|com) as pecas)\b/,
      label: 'pide instalación o configuración',
    },
    {
      re: /\b(?:recuper\w*|pasar (?:mis|los) (?:datos|archivos|contactos)|pasar mis|passar os dados|passem tudo|pasen todo)\b/,
      label: 'quiere recuperar información',
    },
    {
      re: /\b(?:garantia)\b.*\b(?:cubre|valer|cambian|cambio|troca|ta na|cobre|dejo|dejaron|vino)\b|\b(?:cubre|valer|ta na|cobre|troca na|cambio por|cambian por|por|llevar a|es) (?:la )?garantia\b/,
      label: 'reclamo de garantía',
    },
    {
      re: /\b(?:no (?:prende|enciende|carga|funciona|arranca|reconoce|responde|da (?:imagen|video)|agarra|lee|graba|abre)|nao (?:liga|carrega|funciona|puxa|reconhece)|se (?:me )?(?:rompio|mojo|cayo|quemo|apago|apaga|reinicia|calienta|trabo|tildo|murio)|molhei|quebr\w*|queimou|pantallazo|tela azul|lento|lenta|drift|hace ruido|falla|fallar|virus|deslig\w*|(?:nao|n) liga|rayas|borrosa|caiu|se colgo|se congelo|pixel (?:muerto|morto)|no conecta|nao conecta|piscando|nao imprime|no imprime|derram\w*|reinicia|parou|dejo de|deja de|no sirve|atasca|esquent\w*|calienta|no agarra|no agara|nao pega|apita|pitidos|entrecortad\w*|cortando|se (?:me )?cierra|lent\w*|congel\w*|no graba\w*|pararam|trav(?:ou|ado|ada|a)|se (?:me )?(?:partio|parti)|partida|partido|embacad\w*|mancha\w*|no sale (?:imagen|sonido)|rot[oa]s?|raj\w*|flojo|solto|hundido|afundou|error|erro|bloque(?:o|ado|ada|ou)|(?:no|nao|n) aparece|(?:no|nao|n) (?:lo |la |e |o )?(?:reconoce|reconhece|reconhecido|carga|carrega|liga|prende)|ruido|barulho|se (?:me |le |nos )?(?:malogr\w*|descompu\w*|dano|jodio|frego|estropeo|echo a perder|corto|desconecta\w*)|(?:esta|ta) (?:muerto|malogrado|descompuesto|danado|fallando|morto|zoado|zuado|com defeito)|no (?:anda|jala|funca)|valio|fallando|pifou|deu pau|deu problema|bugou|estragou|defeito|arrugad\w*|olvid\w* (?:la |el |mi )?(?:clave|contrasena|patron)|esqueci (?:a )?senha|clave de (?:la )?bios|pide una clave|no (?:vibra|suena|escuchan|encuentra|enciende|da)|nao (?:da|vibra|toca)|ninguem me ouve|descarg\w*|descarreg\w*|dura menos|huele a quemado|no hay dispositivo)\b/,
      label: 'describe una falla del equipo',
    },
    {
      re: /\b(?:cambi\w* (?:de |la |el |una |un )?(?:pantalla|bateria|pin|modulo|vidrio|teclado|tapa|display|disco|hdmi)|(?<!na )troca (?:de|da|do)|tro(?:car|que|cam) (?:a|o)|trocam|tecnico|assistencia|soporte (?:tecnico|remoto)|dan soporte|suporte tecnico|servicio tecnico|mano de obra|(?:tecnico|servicio|soporte|atencion|atendimento) (?:a|em) domicilio|(?:tienen|hacen) servicio|servicio para|atendimento|visitas? tecnicas?|pueden venir|podem vir|vienen a|venham|hacen (?:ese|este) trabajo|fazem (?:esse|este) (?:servico|trabalho))\b/,
      label: 'pide un cambio de pieza o técnico',
    },
  ],
  owned: [
    {
      re: /\b(?:mi|mis|meu|meus|minha|minhas|nuestra|nuestro|nossa|nosso|la mia|el mio|se me|se le|me (?:vendieron|arreglaron)|les compre|comprei aqui|compre aca|que compre)\b/,
      label: 'habla de su propio equipo',
    },
  ],
  preferBuy: [
    {
      re: /\bno (?:lo |la )?(?:quiero|voy a) (?:mandar a )?(?:arreglar|reparar)\w*|\bya no (?:lo |la )?(?:quiero|voy a) (?:arreglar|reparar)\w*|\bno vale la pena (?:arreglar|repararlo)\w*|\bnao (?:quero|compensa|vale a pena) (?:consertar|conserto)\b|\bprefiero comprar\b|\bmejor (?:quiero|compro)\b|\b(?:la|lo|las|los) (?:cambio|instalo|pongo) yo\b|\byo (?:lo|la|las|los) (?:cambio|instalo|pongo)\b|\beu mesmo (?:instalo|troco)\b|\btroco sozinho\b|\btengo tecnico\b|\bnecesito (?:uno|otro|otra)\b|\b(?:uno|una|um) nov[oa]\b|\bquiero (?:uno|otro) nuevo\b/,
      label: 'prefiere comprar antes que reparar',
    },
  ],
  preferRepair: [
    {
      re: /\bno quiero (?:comprar|cambiar)\b.*\b(?:reparar|arreglar)|\bprefiero repararla\b|\bnao quero trocar\b.*\bconsertar\b|(?<!\bnao )\bquero consertar\b|(?<!\bno )\bquiero arreglarlo\b/,
      label: 'prefiere reparar',
    },
  ],
} satisfies Record<string, SignalRule[]>;

export type SignalName = keyof typeof SIGNALS;
export const SIGNAL_NAMES = Object.keys(SIGNALS) as SignalName[];

export interface SignalHit {
  name: SignalName;
  label: string;
}

/** Every signal that fires on a normalized text, in list order. */
export function detectSignals(normalized: string): SignalHit[] {
  const hits: SignalHit[] = [];
  for (const name of SIGNAL_NAMES) {
    for (const rule of SIGNALS[name]) if (rule.re.test(normalized)) hits.push({ name, label: rule.label });
  }
  return hits;
}
