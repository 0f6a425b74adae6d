/**
 * Material for the signature cases of the reply corpus (issue 15): how people close a reply in
 * each language, corporate blocks, mobile footers and disclaimers in many languages, and lines
 * of work that look like a signature but are content. Written for Postroom; every name, number
 * and address is made up (example domains, 555 numbers).
 */
import type { Lang } from './languages.js';

export interface SignOff {
  valediction: string;
  name: string;
  first: string;
  title: string;
  company: string;
  phone: string;
}

export const SIGN_OFFS: Record<Lang, SignOff> = {
  en: { valediction: 'Best regards,', name: 'Dana Smith', first: 'Dana', title: 'Head of Platform', company: 'Acme Inc.', phone: '+1 555 123 4567' },
  fr: { valediction: 'Cordialement,', name: 'Camille Martin', first: 'Camille', title: 'Ingénieure logiciel', company: 'Acme SAS', phone: '+33 1 55 55 01 23' },
  de: { valediction: 'Mit freundlichen Grüßen', name: 'Jonas Becker', first: 'Jonas', title: 'Leiter Entwicklung', company: 'Acme GmbH', phone: 'Tel.: +49 30 5550 1234' },
  es: { valediction: 'Saludos cordiales,', name: 'Lucía Fernández', first: 'Lucía', title: 'Ingeniera de software', company: 'Acme S.L.', phone: 'Móvil: +34 655 555 012' },
  it: { valediction: 'Cordiali saluti,', name: 'Marco Rossi', first: 'Marco', title: 'Sviluppatore backend', company: 'Acme S.r.l.', phone: '+39 02 5550 1234' },
  nl: { valediction: 'Met vriendelijke groet,', name: 'Sanne de Vries', first: 'Sanne', title: 'Productmanager', company: 'Acme B.V.', phone: '+31 20 555 0123' },
  pl: { valediction: 'Pozdrawiam serdecznie,', name: 'Kasia Nowak', first: 'Kasia', title: 'Kierownik projektu', company: 'Acme sp. z o.o.', phone: 'tel. +48 22 555 01 23' },
  ru: { valediction: 'С уважением,', name: 'Иван Петров', first: 'Иван', title: 'Руководитель отдела разработки', company: 'ООО «Акме»', phone: '+7 495 555-01-23' },
  pt: { valediction: 'Atenciosamente,', name: 'João Silva', first: 'João', title: 'Engenheiro de software', company: 'Acme Ltda.', phone: '+55 11 5555-0123' },
  sv: { valediction: 'Med vänliga hälsningar', name: 'Erik Lindqvist', first: 'Erik', title: 'Utvecklare', company: 'Acme AB', phone: '+46 8 555 012 34' },
  da: { valediction: 'Med venlig hilsen', name: 'Mads Jensen', first: 'Mads', title: 'Udvikler', company: 'Acme A/S', phone: '+45 55 55 01 23' },
  nb: { valediction: 'Vennlig hilsen', name: 'Ingrid Hansen', first: 'Ingrid', title: 'Utvikler', company: 'Acme AS', phone: '+47 555 01 234' },
  fi: { valediction: 'Ystävällisin terveisin', name: 'Mikko Virtanen', first: 'Mikko', title: 'Ohjelmistokehittäjä', company: 'Acme Oy', phone: '+358 40 555 0123' },
  tr: { valediction: 'Saygılarımla,', name: 'Ayşe Yılmaz', first: 'Ayşe', title: 'Yazılım Mühendisi', company: 'Acme A.Ş.', phone: '+90 212 555 01 23' },
  zh: { valediction: '此致\n敬礼', name: '李雷', first: '李雷', title: '软件工程师', company: '艾克米有限公司', phone: '电话：+86 10 5555 0123' },
  ja: { valediction: 'よろしくお願いいたします。', name: '田中 太郎', first: '田中', title: 'エンジニア', company: '株式会社アクメ', phone: 'TEL: 03-5555-0123' },
  ko: { valediction: '감사합니다.', name: '김민수', first: '김민수', title: '소프트웨어 엔지니어', company: '주식회사 애크미', phone: '전화: +82 2 555 0123' },
  cs: { valediction: 'S pozdravem', name: 'Petr Novák', first: 'Petr', title: 'Vývojář', company: 'Acme s.r.o.', phone: '+420 555 012 345' },
};

/** How each person signs when the sender is known: the name on its own, decorated or shortened. */
export const NAME_FORMS: [string, (full: string) => string][] = [
  ['first-name', (n) => n.split(' ')[0]!],
  ['dash-first', (n) => `- ${n.split(' ')[0]}`],
  ['emdash-initial', (n) => `—${n[0]}`],
  ['first-and-initial', (n) => `${n.split(' ')[0]} ${n.split(' ')[1]?.[0] ?? ''}.`],
  ['initial-dot', (n) => `${n[0]}.`],
  ['initials', (n) => n.split(' ').map((w) => w[0]).join('')],
  ['slash-first', (n) => `/${n.split(' ')[0]}`],
  ['tilde-first', (n) => `~${n.split(' ')[0]}`],
  ['full-name', (n) => n],
  ['name-and-title', (n) => `${n}, Head of Platform`],
  ['name-pipe-company', (n) => `${n} | Acme Inc.`],
  ['name-link', (n) => `${n.split(' ')[0]}\nhttps://${n.split(' ')[0]!.toLowerCase()}.example`],
];

/** People who sign with a form of their name; the sender's From name is theirs. */
export const SIGNERS: { name: string; address: string; lang: Lang }[] = [
  { name: 'Dana Smith', address: 'dana.smith@acme.example', lang: 'en' },
  { name: 'Lena Fischer', address: 'lena.fischer@acme.example', lang: 'de' },
  { name: 'Bo Berg', address: 'bo@acme.example', lang: 'sv' },
  { name: 'Camille Martin', address: 'cmartin@acme.example', lang: 'fr' },
];

/** Mobile and webmail footers, each the last line of a reply. */
export const MOBILE_FOOTERS: [string, string][] = [
  ['blackberry-en', 'Sent from my BlackBerry® smartphone'],
  ['blackberry-network', 'Sent from my BlackBerry 10 smartphone on the Rogers network.'],
  ['android-en', 'Sent from my Android phone'],
  ['galaxy-en', 'Sent from my Galaxy'],
  ['huawei-en', 'Sent from my HUAWEI P30'],
  ['mail-windows', 'Sent from Mail for Windows'],
  ['outlook-android', 'Get Outlook for Android'],
  ['samsung-fr', 'Envoyé depuis mon appareil Galaxy'],
  ['android-de', 'Gesendet von meinem Android-Gerät'],
  ['samsung-es', 'Enviado desde mi smartphone Samsung Galaxy.'],
  ['android-it', 'Inviato dal mio dispositivo Android'],
  ['android-nl', 'Verzonden vanaf mijn Android-telefoon'],
  ['android-pt', 'Enviado do meu smartphone Android'],
  ['android-pl', 'Wysłane z mojego smartfona Galaxy'],
  ['android-ru', 'Отправлено с моего Android'],
  ['ipad-sv', 'Skickat från min iPad'],
  ['ipad-da', 'Sendt fra min iPad'],
  ['android-fi', 'Lähetetty Android-laitteesta'],
  ['iphone-cs', 'Odesláno z iPhonu'],
  ['iphone-ca', 'Enviat des del meu iPhone'],
  ['iphone-ro', 'Trimis de pe iPhone-ul meu'],
  ['iphone-hr', 'Poslano s mog iPhonea'],
  ['iphone-el', 'Στάλθηκε από το iPhone μου'],
  ['iphone-hu', 'iPhone-ról küldve'],
  ['iphone-uk', 'Надіслано з iPhone'],
  ['iphone-vi', 'Được gửi từ iPhone của tôi'],
  ['iphone-id', 'Dikirim dari iPhone saya'],
  ['iphone-he', 'נשלח מה-iPhone שלי'],
  ['iphone-ar', 'أُرسلت من الـ iPhone'],
  ['iphone-zh-tw', '從我的 iPhone 傳送'],
];

/** Confidentiality and antivirus footers that close a message. */
export const DISCLAIMERS: [string, string][] = [
  ['en-intended', 'This message and any attachments are intended only for the named recipient. If you have received it in error, please notify the sender and delete it.'],
  ['en-privileged', 'The information contained in this email is confidential and may be legally privileged. It is intended solely for the addressee.'],
  ['en-avg', 'This email has been checked for viruses by AVG antivirus software.\nwww.avg.com'],
  ['en-norton', 'This email has been scanned by Norton AntiVirus.'],
  ['fr', 'Ce message et toutes les pièces jointes sont confidentiels et établis à l’intention exclusive de ses destinataires.'],
  ['de', 'Diese E-Mail kann vertrauliche und/oder rechtlich geschützte Informationen enthalten. Wenn Sie nicht der richtige Adressat sind, informieren Sie bitte sofort den Absender.'],
  ['es', 'Este mensaje y sus anexos pueden contener información confidencial. Si usted no es el destinatario, por favor notifique al remitente y elimínelo.'],
  ['it', 'Questo messaggio e i suoi allegati sono riservati e destinati esclusivamente al destinatario indicato.'],
  ['nl', 'Deze e-mail is uitsluitend bestemd voor de geadresseerde en kan vertrouwelijke informatie bevatten.'],
  ['pt', 'Esta mensagem e seus anexos são confidenciais e destinados exclusivamente ao destinatário.'],
  ['pl', 'Ta wiadomość i jej załączniki są poufne i przeznaczone wyłącznie dla adresata.'],
  ['sv', 'Detta e-postmeddelande är konfidentiellt och endast avsett för mottagaren.'],
  ['env', 'Please consider the environment before printing this email.'],
];
