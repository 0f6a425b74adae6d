/**
 * The multilingual vocabulary of reply history: attribution verbs and leads, Outlook header
 * keys, separator phrases, mobile footers and disclaimers. Data only; the detectors that use it
 * live in quote-headers.ts and signature.ts. Every regex here is either anchored or applied to a
 * capped slice of a line, so none of them can backtrack over a long body.
 */

/** Words that open an attribution line ("On …", "Le …", "Am …"). */
export const ATTRIBUTION_LEAD =
  /^[-*_>\s]*(?:On|Le|Am|El|Em|Il|In data|Op|W dniu|Dnia|Den|På|Dne|Dňa|Vào|Ngày|Στις|Pada|Kun|Päivänä|Ve|Dana|Dne|Wiadomość napisana przez|Quoting|Zitat von|Citation|Cytowanie|Citando)(?=[\s,.])|^[-*_>\s]*在/;

/** Leads that may share a line with reply text ("reply On Wed, … wrote:"), see talon #129 family. */
export const MIDLINE_LEAD = /(?:^|[^\p{L}\p{N}])(On|Le|Am|El|Em|Il|Op)\s/gu;

/** Verbs that end an attribution line, before the final colon. */
export const VERB_END =
  /(?:^|[\s,.)>\]"'»])(?:wrote|writes|sent|escribió|escribio|escreveu|scritto|schreef|geschreven|geschrieben|pisze|napisał\(a\)|napisała|napisał|написал\(а\)|написала|написал|написав|пишет|kirjoitti|yazdı|napsal\(a\)|napsala|napsal|napísal|έγραψε|viết|כתב|כתבה|كتب|menulis|scris|escriure|skrev|skriver|írta|kirjutas|rašė|rakstīja|napisao|napisala|écrit|ecrit|schrieb)\s*(?:\([^()]{0,80}\))?\s*[:：]?$/iu;

/** CJK verbs need no word boundary. */
export const CJK_VERB_END =
  /(?:写道|寫道|작성한 메시지|작성|のメッセージ|のメール|書きました|書き込みました)\s*[:：]?$/u;

/** Gmail on Android: "Name <a@b> schrieb am Mi., 5. März 2014, 12:34:" — the verb right after the address. */
export const EMAIL_THEN_VERB =
  /[>)\]]\s*(?:schrieb|wrote|a écrit|escribió|escreveu|ha scritto|schreef|skrev|napisał\(a\)|kirjoitti|написал\(а\))\s.{0,80}[:：]$/iu;

/** A verb alone on its line, the end of an attribution broken by blank lines (Polymail). */
export const LONE_VERB =
  /^>?\s*(?:wrote|schrieb|a écrit|escribió|ha scritto|escreveu|schreef|skrev|napisał\(a\)|kirjoitti|написал\(а\))\s*[:：]$/i;

/** Germanic and Nordic order: "… schrieb Name <a@b>:" */
export const VERB_THEN_NAME =
  /(?:^|\s)(?:schrieb|skrev|schreef|skriver)\s[^:：,;.!?]{1,80}[:：]$/iu;

export const EMAIL = /[^\s<>()[\]@"',;:]+@[^\s<>()[\]@"',;:]+\.[^\s<>()[\]@"',;:]+/;
/** "… Name <a@b>:" or "… (a@b):" or "… [mailto:a@b]:" at the very end. */
export const EMAIL_COLON_END =
  /[<([]\s*(?:mailto:)?[^\s<>()[\]@]+@[^\s<>()[\]@]+\s*[>)\]]{1,2}\s*[:：]$/i;
/** Something that looks like a date or a time. */
export const DATE_LIKE =
  /\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|\d{1,2}[:.]\d{2}|\d{4}年|\d{1,2}月|\d{4}년|\b(?:19|20)\d{2}\b/u;

/** Outlook-style header keys, lower-cased, per role. */
export const FROM_KEYS = new Set([
  'from',
  'von',
  'de',
  'da',
  'van',
  'fra',
  'från',
  'frá',
  'od',
  'от',
  'від',
  'mittente',
  'remitente',
  'lähettäjä',
  'feladó',
  'kimden',
  'từ',
  '发件人',
  '寄件者',
  '寄件人',
  '差出人',
  '보낸 사람',
  'afzender',
  'expéditeur',
  'expediteur',
  'nadawca',
  'odesílatel',
  'από',
  'saatja',
  'siuntėjas',
  'dari',
  'gönderen',
  'avsändare',
]);
export const DATE_KEYS = new Set([
  'sent',
  'date',
  'gesendet',
  'datum',
  'envoyé',
  'envoye',
  'envoyé le',
  'inviato',
  'data',
  'enviado',
  'enviada',
  'enviado el',
  'enviada em',
  'enviado em',
  'fecha',
  'verzonden',
  'verstuurd',
  'sendt',
  'skickat',
  'dato',
  'wysłano',
  'wysłane',
  'отправлено',
  'дата',
  'надіслано',
  'lähetetty',
  'päivämäärä',
  'elküldve',
  'dátum',
  'gönderildi',
  'gönderilme',
  'tarih',
  'ngày',
  'ngày gửi',
  '发送时间',
  '日期',
  '時間',
  '傳送時間',
  '送信日時',
  '日付',
  '보낸 날짜',
  '날짜',
  'odesláno',
  'enviat',
  'sent at',
  'sendt at',
]);
export const OTHER_KEYS = new Set([
  'to',
  'cc',
  'bcc',
  'subject',
  'reply-to',
  'an',
  'betreff',
  'kopie',
  'à',
  'a',
  'objet',
  'cc',
  'oggetto',
  'para',
  'asunto',
  'assunto',
  'aan',
  'onderwerp',
  'til',
  'emne',
  'till',
  'ämne',
  'kopia',
  'do',
  'temat',
  'dw',
  'кому',
  'тема',
  'копия',
  'vastaanottaja',
  'aihe',
  'kopio',
  'címzett',
  'tárgy',
  'másolat',
  'kime',
  'konu',
  'bilgi',
  'đến',
  'chủ đề',
  '收件人',
  '主题',
  '抄送',
  '收件者',
  '主旨',
  '副本',
  '宛先',
  '件名',
  '받는 사람',
  '제목',
  '참조',
  'komu',
  'předmět',
  'kopie',
  'per a',
  'assumpte',
  'pour',
  'aan',
  'προς',
  'θέμα',
  'kellele',
  'teema',
  'kam',
  'tema',
  'priority',
  'importance',
  'attachments',
  'anlagen',
  'pièces jointes',
]);

/** Phrases that, wrapped in dashes, mark an embedded original or forwarded message. */
export const SEPARATOR_WORDS =
  /original|origine|forward|reply message|antwort nachricht|ursprüngl|weitergeleitet|reenviad|inoltrat|transféré|réexpédié|doorgestuurd|oorspronkelijk|videresend|vidarebefordr|opprinnelig|oprindelig|ursprunglig|välitet|alkuperäinen|oryginaln|przekazan|исходн|пересла|původní|přeposlan|eredeti|továbbított|orijinal|iletilen|encaminhad|原始|转发|轉寄|元のメッセージ|転送|원본|전달/i;

/** Forward markers that are not wrapped in dashes. */
export const FORWARD_LINE =
  /^[\s*>]*(?:begin forwarded message|début du message réexpédié|anfang der weitergeleiteten nachricht|inicio del mensaje reenviado|comienzo del mensaje reenviado|inizio messaggio inoltrato|begin doorgestuurd bericht|início da mensagem reencaminhada|início da mensagem encaminhada|vidarebefordrat mejl|videresendt besked|videresendt melding|välitetty viesti alkaa|początek przekazywanej wiadomości|начало переадресованного сообщения|以下是转发的邮件|転送されたメッセージ|전달된 메시지)\s*[:：]?\s*$/i;

/** Mobile and webmail footers ("Sent from my iPhone") in many languages. */
export const MOBILE_FOOTER =
  /^[\s*_]*(?:sent from (?:my |the )?[^,;:.!?]{1,60}[.!]?|sent on the go\b.*|get outlook for (?:ios|android)\b.*|download outlook for (?:ios|android)\b.*|sent with proton ?mail.{0,40}|sent from yahoo mail.{0,40}|envoyé (?:de|depuis) (?:mon |ma |l'|un )?[^,;:.!?]{1,50}[.!]?|envoyé à partir de [^,;:.!?]{1,50}[.!]?|télécharger outlook pour .{0,40}|obtenir outlook pour .{0,40}|von meinem [^,;:.!?]{1,40}[.!]? gesendet|gesendet von (?:meinem )?[^,;:.!?]{1,50}[.!]?|gesendet mit [^,;:.!?]{1,50}[.!]?|outlook für (?:ios|android) herunterladen.*|enviado desde (?:mi )?[^,;:.!?]{1,50}[.!]?|enviado do (?:meu )?[^,;:.!?]{1,50}[.!]?|enviado de (?:mi |meu |o )?[^,;:.!?]{1,50}[.!]?|enviado com [^,;:.!?]{1,50}[.!]?|obtener outlook para .{0,40}|baixe o outlook para .{0,40}|inviato da(?:l)? (?:il mio |mio )?[^,;:.!?]{1,50}[.!]?|scarica outlook per .{0,40}|verzonden (?:vanaf|met|van) (?:mijn )?[^,;:.!?]{1,50}[.!]?|trimis de pe [^,;:.!?]{1,50}[.!]?|enviat (?:des de|des del|amb) (?:el |meu )?[^,;:.!?]{1,50}[.!]?|στάλθηκε από [^,;:.!?]{1,50}|\S{1,30}-?(?:ról|ről) küldve|được gửi từ [^,;:.!?]{1,50}|dikirim dari [^,;:.!?]{1,50}|נשלח מ[^,;:.!?]{1,50}|أُ?رسلت من [^,;:.!?]{1,50}|從我的\s?\S{1,20}\s?傳送|poslano (?:s|z|iz|sa) [^,;:.!?]{1,50}[.!]?|αποστολή από [^,;:.!?]{1,50}|изпратено от [^,;:.!?]{1,50}|verstuurd vanaf (?:mijn )?[^,;:.!?]{1,50}[.!]?|outlook voor (?:ios|android) downloaden.*|skickat från (?:min )?[^,;:.!?]{1,50}[.!]?|sendt fra (?:min )?[^,;:.!?]{1,50}[.!]?|lähetetty (?:iphonesta|ipadista|android|laitteesta|mobiilista).{0,40}|wysłane z (?:mojego )?[^,;:.!?]{1,50}[.!]?|wysłano z (?:mojego )?[^,;:.!?]{1,50}[.!]?|отправлено с (?:моего )?[^,;:.!?]{1,50}[.!]?|надіслано з [^,;:.!?]{1,50}[.!]?|iphone'?(?:umdan|dan) gönderildi.*|\S{1,30}'?(?:dan|den|tan|ten) gönderildi|odesláno z [^,;:.!?]{1,50}[.!]?|küldve [^,;:.!?]{1,40}[.!]?(?:ről|ról)|iphoneから送信|ipadから送信|从我的\s?\S{1,20}发送|发自我的\s?\S{1,20}|寄件者為我的\s?\S{1,20}|\S{1,20}에서 보냄|\S{1,20}에서 보낸 메일)\s*$/i;

/** "Sent via BlackBerry", "Sent with Spark": the product is capitalised; "Sent using the new API" is content. */
export const SENT_WITH_PRODUCT =
  /^[\s*_]*(?:[Ss]ent (?:via|using|with)|[Ee]nviado con|[Ee]nvoyé avec|[Ii]nviato con|[Vv]erstuurd met|[Ss]kickat med|[Ss]endt med) (?:my |the )?\p{Lu}[^,;:.!?]{0,50}[.!]?\s*$/u;

/** Disclaimers and antivirus notices that close a message. */
export const DISCLAIMER_START =
  /^[\s*_]*(?:confidentiality notice|confidential(?:ity)?:|disclaimer:|legal disclaimer|(?:this|the) (?:e-?mail|message|communication|information)(?: and any (?:attachments?|files?|documents?)(?: transmitted with it| attached)?)?(?: contained in this (?:e-?mail|message))? (?:is|are|may be|contains?|may contain) (?:strictly )?(?:confidential|privileged|intended|proprietary)|the information (?:contained )?in this (?:e-?mail|message)(?: and any attachments?)? (?:is|may be) (?:strictly )?(?:confidential|privileged|intended)|if you (?:are not the intended recipient|have received this (?:e-?mail|message|communication) in error)|virus-free\.?|this e-?mail has been (?:checked|scanned) for viruses|this email has been scanned|please consider the environment before printing|ce (?:message|courriel|e-mail)(?: et (?:toutes )?(?:les |ses )?pièces jointes)? (?:est|sont|peut|contient|peuvent)(?: être)? (?:strictement )?(?:confidenti|privilégi|destiné)|diese (?:e-?mail|nachricht)(?: und (?:alle|ihre|etwaige) anhänge)? (?:enthält|ist|kann)(?: [\p{L}-]+){0,2} vertraulich|este (?:correo|mensaje)(?: electrónico)?(?: y sus anexos)? (?:es|contiene|puede contener)(?: información)? (?:confidencial|privilegiad)|questo messaggio(?: e i suoi allegati)? (?:è|contiene|può contenere)(?: informazioni)? (?:riservat|confidenzial)|deze e-?mail(?: en de bijlagen)? (?:is|kan|bevat)(?: [\p{L}-]+){0,2} vertrouwelijk)/iu;

/**
 * A disclaimer in any language we know: a paragraph that speaks of confidentiality and of the
 * recipient it was meant for. Both stems, so "confidential roadmap for the recipient list" in
 * a short line of work does not qualify (the paragraph must also be long, see signature.ts).
 */
export const CONFIDENTIAL_STEM =
  /confidential|confidentiel|vertraulich|confidenci|riservat|confidenzial|vertrouwelijk|poufn|konfidentiel|fortrolig|luottamuksellinen|конфиденциал|機密|保密|기밀|gizli|důvěrn|privileged|privilégi|privilegiad/iu;
export const RECIPIENT_STEM =
  /recipient|addressee|intended|destinataire|destiné|empfänger|adressat|destinatari|destinatário|geadresseerde|bestemd|adresat|mottagar|modtager|mottaker|vastaanottaja|адресат|получател|宛先|收件人|수신자|alıcı|příjemce/iu;
