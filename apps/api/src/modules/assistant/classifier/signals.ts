/**
 * Hand-written signal lists (Spanish and Brazilian Portuguese) for urgency, buying intent,
 * business purchases, browsing and repair wording, accidents, symptoms, purchases made at the shop
 * (warranty), repair-cost questions, shopping for a replacement and anything told as not working.
 * They do not decide anything on their own: each one is a feature of the statistical model
 * (features.ts), which learns how much it weighs, and they give the seller readable reasons.
 * Patterns run on normalized text (normalize.ts): lowercase, no accents, numbers as
 * `_num`/`_bignum`, emojis as `_emo_*`.
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
      re: /(?<!\b(?:abiertos?|abiertas?|atienden|abren|cierran|abertos?|abertas?|abrem|fecham|atendem|funcionan|funcionam) )\b(?:para |pra |ainda |hoy |hoje )?(?:hoy|hoje|hj)(?: mismo| msm| en la (?:tarde|noche))?\b/,
      label: 'para hoy',
    },
    {
      re: /(?<!\b(?:no es|nao e|nada|sin|no|nao|n) )\burgen(?:te|cia|tisimo)s?\b|\b_emo_urgent\b|\bsos\b|\bsocorro\b/,
      label: 'urgente',
    },
    {
      re: /\b(?<!\b(?:por|no es para|nao e pra|nao e para|y|e|pero|mas|desde|hasta) )(?:ahora|agora)(?: mismo| pouco)?\b(?! (?:no|nao|n|ya|se|ta|esta|sale|solo|hace|tiene|tem|fica|ficou|aparece|suena|anda|funciona|prende|liga|carga|carrega|quedo|le|me|lo|la|el|ela|ele|solo|so)\b)|\b(?:revisan|ven|vienen|arreglan|atienden|reparan|miran|chequean) (?:\w+ )?ya\b|\bahorita\b|\bya mismo\b|\b(?:quiero|necesito|kiero) (?:\w+ )?ya\b|\bdaqui a pouco\b|\ben un rato\b/,
      label: 'ahora',
    },
    { re: /\bmanana\b|\bamanha\b/, label: 'para mañana' },
    {
      re: /(?<!\b(?:responde|responden|reacciona|sensible|sensivel) )\bal (?:toque|tiro)\b|\bexpress\b|\ben el (?:dia|momento)\b|\bna hora\b/,
      label: 'en el momento',
    },
    {
      re: /\b(?:lo antes posible|lo mas pronto|cuanto antes|o quanto antes|o mais rapido|asap)\b/,
      label: 'lo antes posible',
    },
    {
      re: new RegExp(
        `(?<!\\b(?:desde|since|dende|atienden|atiende|atendem|atende|abren|abre|abrem|cierran|cierra|fecham|fecha|abierto|aberto|trabajan|funcionan|funcionam) )\\b(?:para el|pro|para o|el|este|no|ate|hasta el) ${DAYS}\\b|\\b(?:ate|hasta) (?:amanha|manana|hoje|hoy)\\b`,
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
      re: /\b(?:trabajo|trabalho) con (?:el|ele|ella)\b|\bsin poder trabajar\b|\b(?:no pasan|nao passa) (?:las )?(?:tarjetas|cartao)\b|\b(?:client[ea]s?|pacientes?|huespedes|hospedes|alumnos|gente) esperando\b|\b(?:fila|cola) de (?:clientes|pacientes|gente)\b|\btienda abierta\b|\bnegocio (?:esta )?parad|\bsoy (?:delivery|contadora|contador|vendedora?|taxista)\b|\bsou (?:motoboy|vendedora?|motorista)\b|\bpedidos (?:me llegan|por whatsapp|pelo whatsapp)\b|\brecebo os pedidos\b|\bnadie puede trabajar\b|\bninguem consegue trabalhar\b|\bdel negocio\b|\bdo meu negocio\b|\bno funcionan las comandas\b|\bos pedidos nao saem\b/,
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
      re: /\b(?:mas adelante|mais pra frente|algun dia|algun momento|um dia|el ano que viene|ano que vem|el proximo ano|el otro (?:mes|ano|semestre)|el mes que viene|mes que vem|fin de ano|fim do ano|en diciembre|em dezembro|para navidad|no natal|pa cuando|para cuando|cuando tenga|quando (?:tiver|sobrar|receber)|cuando me paguen|juntando (?:plata|dinero|dinheiro)|ahorrando|aguinaldo|gratificacion|en vacaciones|nas ferias|(?<!\b(?:compre|comprei|compramos|compro|comprado|comprada|vendieron|venderam|desde|tienda|local|aca|aqui|ai|ustedes|voces|vcs|loja) )(?:en|em|para|pra) (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|janeiro|fevereiro|marco|maio|junho|julho|setembro|outubro|novembro)|despues (?:les escribo|veo)|depois (?:vejo|eu vejo))\b/,
      label: 'lo deja para más adelante',
    },
    {
      re: /\b(?:tal vez|talvez|quizas|quiza|capaz|a lo mejor|quem sabe|no se todavia|todavia no (?:se|decido)|nao sei se|no es (?:para ahora|para ya|para hoy|urgente)|nao e (?:urgente|pra agora|para agora)|esperando (?:el|la|o|a) (?:cyber|black|oferta|promo)\w*|por ahora no|por el momento no|por enquanto|por si acaso|lo voy a pensar|vou pensar|no tengo apuro|sin apuro|sem pressa|algun rato|un dia de estos|uno de estos dias|qualquer dia|cuando pueda|quando der|quando puder|no me decido|nao me decidi|no estoy segur[oa]|nao tenho certeza|nao tenho pressa|fuera de mi presupuesto|(?:pura|mera|de pura) curiosidad|a futuro|en un futuro|no futuro|mas adelantito|(?:para|pra) tener (?:una )?idea|(?:pra|para) ter (?:uma )?ideia|sin compromiso|sem compromisso|a ver si me animo|se me animo|de repente (?:mas adelante|el otro)|por ahi (?:en|mas)|de pronto (?:el otro|mas adelante|en)|todavia (?:no|ni) (?:me )?(?:decido|se)|ainda (?:nao sei|to vendo|estou vendo|to pensando))\b/,
      label: 'sin intención clara',
    },
  ],
  repair: [
    {
      re: /\b(?:repar\w*|arregl\w*|conserto|consert\w*|arrum\w*|revis\w*|diagnostic\w*|mantenimiento|manutencao|limpieza|limpeza|limpi\w*|format\w*|reset\w*|desbloque(?!ad[oa])\w*|liber(?!ad[oa])\w*|testear|testar)\b/,
      label: 'pide reparación o mantenimiento',
    },
    {
      re: /\b(?:me |nos )?(?:lo|la|los|las) (?:cambian|instalan|ponen|colocan|arreglan|reparan|cambias|instalas|pones)\b|\b(?:troca|trocam|instalam|colocam|instala|coloca) (?:\w+ )?pra mim\b|\brecarg(?:an|a|ar|amos|o) (?:de )?(?:los |las |el |la |mis |mi )?(?:cartuch|tinta|toner|tonner)\w*|\brecarreg\w* (?:de |o |os )?(?:cartucho|toner)\w*|\b(?:instal\w*|configur\w*|cablea\w*|armado|hacen upgrade|fazem upgrade|(?:me )?(?:arman|armen|montam|montem) (?:la |o |una |um )?pc|cobran por armar|cobram (?:pra|para) montar|(?:les llevo|con) las piezas|(?:levar|com) as pecas)\b/,
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
      re: /\b(?:cambi\w* (?:de |la |el |una |un )?(?:pantalla|bateria|pin|modulo|vidrio|teclado|tapa|display|disco|hdmi|puerto|conector|boton|camara|parlante|microfono|flex|centro de carga|joystick|analogico|ventilador|cooler)|(?<!na )troca (?:de|da|do)|tro(?:car|que|cam) (?:a|o)|trocam|tecnico|assistencia|soporte (?:tecnico|remoto)|dan soporte|suporte tecnico|servicio tecnico|mano de obra|(?:tecnico|servicio|soporte|atencion|atendimento) (?:a|em) domicilio|(?:tienen|hacen) servicio|servicio para|atendimento|visitas? tecnicas?|pueden venir|podem vir|vienen a|venham|hacen (?:ese|este) trabajo|fazem (?:esse|este) (?:servico|trabalho))\b/,
      label: 'pide un cambio de pieza o técnico',
    },
    {
      re: /\b(?:(?:lo|la|los|las) (?:pueden|podes|podrian|puede|podrias) (?:ver|mirar|chequear|checar|revisar)|cheque(?:an|en|ar)|chequ(?:en|ean)|checar|echen? (?:un )?(?:ojo|vistazo)|(?:den|dar|darle) una (?:mirada|revisada|chequeada)|(?:podem|pode|poderiam|conseguem|consegue) dar uma olhada|(?:olhar|olham|olhem) (?:o|a|meu|minha)|(?:les|se (?:lo|la)) (?:llevo|dejo|traigo) (?:el|la|mi|para|pa)?|(?:lo|la) (?:llevo|dejo|traigo) (?:para|pa) que|(?:levo|deixo|trago) (?:ai|ele|ela|o meu|a minha)|posso (?:levar|deixar|trazer) (?:o|a|meu|minha|ai))\b/,
      label: 'quiere que le revisen el equipo',
    },
  ],
  /** Something happened to the device (a fall, a spill, water): told as the story, not as a request. */
  accident: [
    {
      re: /\b(?:se (?:me |le |nos )?(?:cayo|cayeron|callo|mojo|mojaron|golpeo|piso|sento encima)|(?:le |me )?(?:cayo|callo|entro|echaron|echo|tiraron|derramo|derrame) (?:\w+ )?(?:cafe|agua|gaseosa|refresco|soda|bebida|jugo|te|mate|yogurt|sopa|cerveza|vino|leche|liquido|arena|polvo|encima|al agua|a la piscina|al inodoro|al rio|al mar)|(?:le |se le )?(?:metio|entro) (?:agua|arena|polvo|humedad|tierra)|(?:lo|la) (?:pise|piso|pisaron|tire|tiraron|golpee|golpearon)|piso encima|se sentaron encima|cai(?:u|o)|deixei cair|deixou cair|derrubei|derrubou|derrubaram|molh(?:ou|ei|ado|ada)|entrou (?:agua|areia|po)|pisaram|pisou|sentou em cima|bateu|levou (?:uma )?queda|tomo agua|tomou agua|golpe|se mojo|mojado|mojada|caida|le (?:cayo|callo|cayeron|entro)|resbal\w*|volc\w*|(?:lo|la|los|las) deje caer|se (?:me |le )?(?:fue|fueron) al (?:piso|suelo|agua)|mordi(?:o|eron|do|da)|mordeu|roeu|escorreg\w*|derramou|caiu (?:agua|cafe|refrigerante|suco|cerveja))\b/,
      label: 'cuenta un accidente con el equipo',
    },
  ],
  /** A fault told by its symptom, in words beyond the repair list above. */
  symptom: [
    {
      re: /\b(?:parpade\w*|titil\w*|pisca\w*|se aflo\w*|aflojad[oa]|bailando|(?:no|nao|n) (?:cierra|fecha|entra|encaja|lee|leen|suena|toca|enfoca|foca|abre|conecta|sincroniza|empareja|pareia|detecta)|ya no (?:\w+ )?(?:carga|prende|suena|lee|funciona|conecta|enciende|anda|sirve|responde|abre)|(?:nao|n) (?:\w+ )?mais (?:carrega|liga|funciona|conecta|toca|le)|(?:se )?(?:queda|quedan|quedo|quedaron|fica|ficam|ficou|qued[oa]) (?:pegad[oa]s?|trabad[oa]s?|colgad[oa]|congelad[oa]|travad[oa]s?|grudad[oa]s?|en negro|preta|negra|en blanco|branca|sin (?:senal|sonido|imagen)|sem (?:sinal|som|imagem)|en la manzan\w*|na maca|en el logo|no logo)|en blanco|em branco|(?:puxa|puxando|jala|jalando|agarra) (?:duas|dos|varias|muitas) (?:folhas|hojas)|listras?|lineas?|rayitas?|manchas?|distorsion\w*|chiado|chirri\w*|zumb\w*|raspa\w*|estalla|estalando|se (?:traba|tilda|cuelga|apaga|prende|reinicia|mueve|escribe|abre) sol[oa]|(?:desliga|liga|reinicia|mexe|digita|puxa|puxando|abre) sozinh[oa]|(?:escribe|anda|marca) sol[oa]|fantasma|touch (?:loco|fantasma)|tela fantasma|(?:que|o que) (?:le )?(?:pasara|sera|tendra|pode ser|sera que tem|houve)|(?:desde|dende) (?:ayer|anoche|antier|anteayer|ontem|anteontem|hace|faz|que|el (?:lunes|martes|miercoles|jueves|viernes|sabado|domingo|fin de semana)|la semana pasada|esta manana|hoy temprano|o (?:fim de semana|domingo|sabado)|a semana passada|(?:a |o )?(?:segunda|terca|quarta|quinta|sexta))|trinc\w*|rachad\w*|estrell\w*|hinchad\w*|inchad\w*|estufad\w*|no (?:la |lo )?reconoce|(?:sin|sem) (?:sonido|som|imagen|imagem|senal|sinal)|sonido bajo|som baixo|suena (?:bajito|bajo|feo|raro)|se escuchan? (?:feo|mal|bajito|cortad[oa]s?)|suenan? (?:como|distorsionado|cortado|bajito|bajo|feo|raro)|se (?:me |le |nos )?(?:partio|parti|quebro|rompio|rajo|salio|solto|despego|hundio|doblo|torcio)|se vuelve loc[oa]|(?:esta|anda) (?:loc[oa]|raro|rara)|letras repetidas|clique duplo|doble (?:clic|click)|(?:hace|da) (?:clic|click) sol[oa]|clica sozinho|desaparece|sumiu|some (?:do|da)|hinch\w*|falh\w*|rayad\w*|riscad\w*|ruidos? (?:raros?|extranos?|fuertes?|feos?)|barulhos? (?:estranhos?|alto)|(?:no|nao) (?:escanea|escaneia|copia)|se ve (?:mal|borroso|oscuro|verde|rosado)|pantalla (?:negra|verde|blanca|rosada)|tela (?:preta|verde|branca|rosa)|esta (?:loco|rara|raro)|ta (?:doido|estranho|estranha)|hace (?:cosas raras|lo que quiere)|no me deja|nao me deixa|tarda (?:mucho|demasiado|una eternidad|anos) en|demora (?:mucho|muito|demais) (?:en|pra|para) (?:prender|encender|cargar|abrir|ligar|carregar|abrir)|(?:no|nao) pasa (?:del|de la|de|da|do) (?:logo|inicio|pantalla|tela|marca)|bootloop|(?:escribe|escriben|digita|digitam|marca|marcan) (?:doble|duplo|dos veces|duas vezes|repetid\w*)|estatica|interferencia|(?:esta|ta|tiene|tem|vino|veio|salio|saiu) (?:\w+ ){0,3}(?:malo|mala|ruim)\b|se (?:me |le )?(?:traba|traban|tranca|cuelga|congela|tilda|pega|trabo)\b|(?:fica )?travando|trava (?:toda|quando|sempre|muito)|floj[oa]s?|bambo\w*|(?:nao|n) (?:le|ve|da|sai|foca|sobe)\b|(?:tarda|demora) (?:\w+ ){0,3}(?:minutos|horas|min|mins)\b|(?:no|nao) (?:tiene|tem|hay|ha) (?:sonido|som|imagen|imagem|senal|sinal|audio|internet|red|rede|video|wifi)|puntos? (?:blanc|negr|brillant|muert)\w*|pontos? (?:branc|pret|mort)\w*|atasc\w*|atorad\w*|(?:folha|papel|hoja) (?:pres[oa]|trabad[oa]|atorad[oa])|luz (?:roja|naranja|vermelha|laranja)|no quiere (?:prender|encender|arrancar|cargar|funcionar|conectar|abrir)|nao quer (?:ligar|carregar|funcionar|conectar|abrir)|(?:sin|sem) servicio|sem servico|solo emergencia|so emergencia|publicidad sola|anuncios (?:solos|sozinhos)|hacke\w*|clonad\w*|se (?:me )?borr\w*|perdi (?:mis|todas|todos|os|as|meus|minhas) (?:fotos|archivos|datos|arquivos|contatos|contactos)|apaguei sem querer|borre sin querer)\b/,
      label: 'describe un síntoma del equipo',
    },
  ],
  /**
   * Something told as not working, in any words: a negated verb or a "without" that is not one of
   * the usual purchase or browsing phrases ("no sé", "no es urgente", "sin juros", "que no pase de").
   */
  negatedState: [
    {
      re: /\b(?:(?:(?:ainda )?(?:nao|n)(?: (?:me|lhe|se|te|mais))* (?!(?:es|e|era|sea|seja|sean|hacen|hace|fazem|faz|envian|enviam|mandan|mandam|entregan|entregam|aceptan|acepta|aceitam|aceita|atienden|atiende|atendem|abren|abrem|trabajan|trabalham|venden|vendem|dan|dao|cobran|cobram|parcelan|parcelam|sabia|sei|se|sabe|sabemos|tengo|tenho|tenemos|temos|tiene|tienen|tenes|tem|hay|quiero|quero|queria|necesito|preciso|precisa|decido|decidi|seguro|segura|animo|estoy|estou|importa|pase|passe|pasen|supera|mas|mais|vale|conviene|compensa|mucho|muito|tan|tao|muy|gracias|urgente|problema|incluye|inclui|trae|viene|vem|pasa|hace|apuro|prisa|pressa|conozco|conheco|encontre|encontrei|entiendo|entendo|todavia|ainda|voy|vou|vamos|pienso|penso|pero|solo|so|site|face|dia|mes|momento|final|meio|pix|fim|cartao|natal|futuro|sabado|domingo|mercado|centro|boleto|debito|credito|atacado|varejo|whatsapp|zap|insta|instagram|celular|notebook|pc|chao|banheiro|carro|trabalho|escritorio|meu|minha|seu|sua|nosso|caso|lo|la|me|le)\b)[a-z]{3,})|(?:(?:ya |todavia |aun )?no(?: (?:me|le|lo|la|les|nos|se|te))* (?!(?:es|e|era|sea|seja|sean|hacen|hace|fazem|faz|envian|enviam|mandan|mandam|entregan|entregam|aceptan|acepta|aceitam|aceita|atienden|atiende|atendem|abren|abrem|trabajan|trabalham|venden|vendem|dan|dao|cobran|cobram|parcelan|parcelam|sabia|sei|se|sabe|sabemos|tengo|tenho|tenemos|temos|tiene|tienen|tenes|tem|hay|quiero|quero|queria|necesito|preciso|precisa|decido|decidi|seguro|segura|animo|estoy|estou|importa|pase|passe|pasen|supera|mas|mais|vale|conviene|compensa|mucho|muito|tan|tao|muy|gracias|urgente|problema|incluye|inclui|trae|viene|vem|pasa|hace|apuro|prisa|pressa|conozco|conheco|encontre|encontrei|entiendo|entendo|todavia|ainda|voy|vou|vamos|pienso|penso|pero|solo|so|site|face|dia|mes|momento|final|meio|pix|fim|cartao|natal|futuro|sabado|domingo|mercado|centro|boleto|debito|credito|atacado|varejo|whatsapp|zap|insta|instagram|celular|notebook|pc|chao|banheiro|carro|trabalho|escritorio|meu|minha|seu|sua|nosso|caso|lo|la|me|le)\b)[a-z]{1,}(?:a|an|e|en|as|es|io|ia|ian|aba|aban|ando|iendo|ado|ido)\b)|(?:sin|sem) (?:internet|red|rede|wifi|senal|sinal|sonido|som|imagen|imagem|video|servicio|servico|bateria|carga|luz|conexion|conexao|audio))\b/,
      label: 'describe algo que no funciona',
    },
  ],
  /** The device was bought at this shop: with a fault, a warranty claim. */
  boughtHere: [
    {
      re: /\b(?:(?:les|le|te) compr(?:e|amos)|(?:me|nos) (?:lo |la |los |las )?vendi(?:eron|o|ste)|compr(?:e|amos) (?:\w+ )?(?:aca|aqui|ahi|con ustedes|con vos|con usted|en su (?:tienda|local)|en (?:la|esta) tienda|donde ustedes)|que compre (?:con|aca|aqui|en)|compr(?:ei|amos) (?:\w+ )?(?:com voces|com vcs|com vc|aqui|ai|na loja|de voces|de vcs)|(?:voces|vcs|vc) me vend\w*|me vende(?:ram|u)|garantia|(?:vino|llego|veio|chegou) (?:fallad[oa]|con (?:falla|fallas|defecto)|com defeito|quebrad[oa]|rot[oa]|mal))\b/,
      label: 'lo compró en la tienda',
    },
  ],
  /** Asks what a repair or the work would cost. */
  repairCost: [
    {
      re: /\b(?:cuanto (?:me |nos |le )?(?:cobran|cobrarian|cobras|cobra|sale|saldria|costaria|cuesta|vale|valdria|seria|sera|esta) (?:\w+ )?(?:por |para |en )?(?:esto|eso|arreglar\w*|reparar\w*|el arreglo|la reparacion|que (?:me |le )?(?:lo |la )?(?:arreglen|reparen|cambien|vean|revisen)|revisar\w*|verlo|verla|dejarlo|dejarla|componer\w*)|quanto (?:voces |vcs |vc )?(?:cobram|cobra|fica|sai|custa|seria|sairia) (?:\w+ )?(?:pra|para|por|o) (?:arrum\w*|consert\w*|isso|olhar|ver|o conserto|dar uma olhada)|cuanto (?:por|pra|para) (?:dejarl[oa]|arreglarl[oa]|repararl[oa]|cambiarl[oa]|componerl[oa]|arrumar|consertar)|tiene arreglo|tiene compostura|tem conserto|tem jeito|se puede (?:arreglar|reparar|componer|salvar)|(?:da|dara) para arreglar|da pra (?:consertar|arrumar|salvar)|se salva|tem salvacao|lo pueden ver|la pueden ver|podem (?:dar uma )?olhar)\b/,
      label: 'pregunta cuánto cuesta la reparación',
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
      re: /\bno (?:lo |la )?(?:quiero|voy a) (?:mandar a )?(?:arreglar|reparar)\w*|\bya no (?:lo |la )?(?:quiero|voy a) (?:arreglar|reparar)\w*|\bno vale la pena (?:arreglar|repararlo)\w*|\bnao (?:quero|compensa|vale a pena) (?:consertar|conserto)\b|\bprefiero comprar\b|\bmejor (?:quiero|compro)\b|\b(?:la|lo|las|los) (?:cambio|instalo|pongo) yo\b|\byo (?:lo|la|las|los) (?:cambio|instalo|pongo)\b|\beu mesmo (?:instalo|troco|coloco)\b|\byo mism[oa] (?:lo |la |los |las )?(?:cambio|instalo|pongo|coloco|armo)\b|\btroco sozinho\b|\btengo tecnico\b|\bnecesito (?:uno|otro|otra)\b|\b(?:uno|una|um) nov[oa]\b|\bquiero (?:uno|otro) nuevo\b|\b(?:unos|unas|uns|umas) nuev[oa]s\b|\b(?:unos|unas|uns|umas) nov[oa]s\b|\bprefiero (?:un|uno|una|unos|unas|otro|otra|otros|otras|comprar)\b|\bprefiro (?:um|uma|uns|umas|outro|outra|comprar)\b|\b(?:sale|es|me sale|seria|sai|fica) (?:mas|mais) (?:caro|barato|em conta) (?:arreglar\w*|reparar\w*|consertar|comprar)|\bno (?:me )?(?:conviene|compensa|sirve) (?:arreglar\w*|reparar\w*)|\bya no (?:conviene|vale la pena)|\bno vale la pena|\bnao vale a pena|\bnao compensa\b|\bmejor (?:me )?(?:compro|comprar|cambio por|llevo) (?:otr[oa]|un[oa]?)\b|(?<!\b(?:no|nao) (?:quiero|quero) )\b(?:comprar|compro|quiero|busco|necesito|kiero) (?:otr[oa]|un[oa] nuev[oa]|uno mas|un reemplazo|reemplazo|repuesto)\b|(?<!\b(?:no|nao) (?:quiero|quero) )\b(?:comprar|compro|quero|procuro|preciso de) (?:outr[oa]|um novo|uma nova|um substituto)\b|\bcuanto (?:esta|sale|cuesta|vale|anda) (?:un[oa]) nuev[oa]\b|\bquanto (?:ta|esta|custa|sai) (?:um|uma) nov[oa]\b|\bque (?:otros|otras|modelos|opciones|alternativas) (?:\w+ )?(?:tienen|tenes|tiene|hay|manejan|me recomiendan)\b|\bquais (?:outros|modelos|opcoes) (?:voces |vcs |vc )?(?:tem|tem ai|recomendam)\b|\bya no da (?:mas|para mas)\b|\bnao aguenta mais\b|\b(?:quiero|quisiera|voy a) cambiarl[oa] por (?:un|una|otr)|\btrocar (?:el|ele|ela) por (?:um|uma|outr)|\b(?:arreglo|reparacion|compostura|conserto) (?:me )?(?:sale|es|esta|fica|sai|ta|cuesta|custa) (?:muy |muito |bien |super |re )?(?:car[oi]\w*)|\bmejor (?:veo|miro|busco|me compro|compro|cotizo)\b|\bmelhor (?:comprar|compro|ver)\b|\b(?:quiero|quisiera|voy a|tengo que) (?:cambiarlo|cambiarla|reemplazarlo|reemplazarla)\b|\bya fue\b|\bja era\b|\bno tiene arreglo\b|\bnao tem (?:mais )?(?:conserto|jeito)\b|\bpara reemplazar\w*|\bpra substituir\b|\bpara (?:cambiarlo|cambiarla|reemplazarlo|reemplazarla) por\b/,
      label: 'prefiere comprar antes que reparar',
    },
  ],
  /** Asks what the shop sells (models, options, one to replace theirs): a purchase question. */
  shopping: [
    {
      re: /\b(?:venden|vendem|vendes|tienen (?:algun|alguna|algunos|unos|unas|uno|una|otro|otra|modelos|opciones)|tenes (?:algun|alguna|alguno|unos|unas|uno|una)|tem (?:algum|alguma|outro|outra|modelo|um de|uma de|um com|uma com|um pra|uma pra|um para|uma para)|que (?:\w+ )?(?:tienen|tenes|tienes|hay|manejan|me recomiendan|me recomiendas|recomiendan|me venden) (?:en|de|para|con|que)\b|que (?:modelos|opciones|otros|otras|marcas) |quais (?:\w+ )?(?:voces |vcs |vc )?(?:tem|indicam|recomendam)\b|qual (?:voces |vcs |vc )?(?:indicam|recomendam)\b|(?:busco|necesito|kiero|quiero comprar) (?:un|una|uno|otro|otra)\b|(?:procuro|preciso de|quero comprar) (?:um|uma|outro|outra)\b|(?:tienen|tenes|tienes|tem|vendem|venden) _q|(?:voces|vcs|vc) tem _q|(?:tienen|tenes|tienes|hay|venden|tem|vendem|vcs tem|voces tem) (?:el |la |los |las |un |una |algun\w* |o |a |um |uma )?(?:cargador(?:es)?|carregador(?:es)?|cables?|cabos?|fundas?|capinhas?|mouse|teclados?|audifonos|auriculares|fones?|celulares|laptops?|notebooks?|monitor(?:es)?|parlantes?|caixinhas?|controles?|mandos?|routers?|roteador(?:es)?|impresoras?|impressoras?|ssd|discos?|memorias?|fuentes?|fontes?|power ?banks?|baterias? externas?|smartwatch\w*|micas?|vidrios? templados?|peliculas?)\b|(?:cuanto|quanto|a como) (?:(?!(?:reparar|arreglar|consertar|arrumar|cambiar|trocar|revisar|formatear|formatar|limpiar|limpar|por|pra|para)\b)\w+ ){0,2}(?:un|una|unos|unas|um|uma|uns|umas) (?!(?:reparacion|arreglo|cambio|revision|diagnostico|limpieza|mantenimiento|formateo|conserto|troca|revisao|limpeza|manutencao|formatacao|visita|hora|servicio|servico)\b)[a-z]{2,}|(?:quiero|quero|kiero) (?:un|una|uno|um|uma) |que me (?:recomiendan|recomiendas|recomienda|sugieren|aconsejan)\b|o que (?:voces |vcs |vc )?(?:indicam|recomendam|indica|recomenda)\b|(?:cuanto|quanto|a como) (?:(?:esta|estan|cuesta|cuestan|vale|valen|sale|salen|custa|custam|ta|tao|sai|saem|anda|andan) )?(?:el|la|los|las|o|a|os|as) (?!(?:cambio|reparacion|arreglo|conserto|troca|mano|diagnostico|revision|revisao|servicio|servico|limpieza|limpeza|mantenimiento|manutencao|formateo|formatacao|instalacion|instalacao|visita|pantalla|bateria|tela|pin|puerto|conector|vidrio|modulo|display|camara|tapa|hora|envio|delivery|frete|orcamento|presupuesto)\b)[a-z]{2,}|(?:tienen|tenes|tienes|tem|hay) (?:el |la |o |a )?(?:mismo|misma|mesmo|mesma|igual|parecido|parecida|similar|solo|so)\b|(?:tienen|tenes|tienes|tem|hay) (?:con|com|sin|sem|de los|de las|en oferta|em promocao) |que (?:\w+ ){1,2}(?:tienen|tenes|tienes|hay|venden|vendem)\b|vendanme|vendeme|me (?:vende|venden|vendes|vendem)\b|(?:mais|mas) barat[oa]s?\b|(?:viene|vienen) con\b|(?:trae|traen|incluye|incluyen) (?:el |la |los |las |un |una )?(?:cargador|funda|caja|windows|office|audifonos|cable|juegos?|control|mando|mouse|teclado|lapiz)|(?:vem|inclui) com\b|cuanto (?:(?:esta|sale|cuesta|vale|anda) )?(?:uno|una) (?:de|nuev|con|que|tipo|original|generic|barat|buen)|quanto (?:\w+ )?(?:custa|ta|sai) (?:um|uma) (?:de|nov|com|que))/,
      label: 'pregunta qué productos tienen',
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
