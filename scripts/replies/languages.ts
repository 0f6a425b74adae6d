/**
 * Per-language material for the reply corpus: what people write back to a check-in prompt, and
 * how each mail client words its attribution line and header block in that language. Written
 * for Postroom; the formats follow what the clients print (dates are 24 Nov 2026, 17:02).
 */

export type Lang =
  | 'en'
  | 'fr'
  | 'de'
  | 'es'
  | 'it'
  | 'nl'
  | 'pl'
  | 'ru'
  | 'pt'
  | 'sv'
  | 'da'
  | 'nb'
  | 'fi'
  | 'tr'
  | 'zh'
  | 'ja'
  | 'ko'
  | 'cs';

export const LANGS: Lang[] = [
  'en',
  'fr',
  'de',
  'es',
  'it',
  'nl',
  'pl',
  'ru',
  'pt',
  'sv',
  'da',
  'nb',
  'fi',
  'tr',
  'zh',
  'ja',
  'ko',
  'cs',
];

/** Two replies per language: a list with kinds and tags, and a short note with a sign-off. */
export const REPLIES: Record<Lang, [string, string]> = {
  en: [
    "- Shipped the CSV export for billing\n- Reviewed Anna's PR #412 @anna\n[ ] Write the migration guide #docs\n! Blocked on staging credentials",
    "Done today:\n\n1. Fixed the flaky login test\n2. Paired with Tom on the search index\n\nTomorrow I'll finish the release notes.\n\nThanks,\nJane",
  ],
  fr: [
    "- Corrigé le bug d'export CSV\n- Relu la PR #412 d'Anna\n[ ] Rédiger le guide de migration\n! Bloqué : pas d'accès au serveur de recette",
    "Aujourd'hui :\n- Réunion avec le client\n- Déploiement en préproduction\n\nBonne soirée,\nCamille",
  ],
  de: [
    '- Rechnungsexport als CSV fertiggestellt\n- Code-Review für #412 gemacht\n[ ] Migrationsleitfaden schreiben\n! Warte noch auf Zugangsdaten für Staging',
    'Heute erledigt:\n- Login-Test stabilisiert\n- Suchindex mit Tom neu aufgebaut\n\nViele Grüße\nJonas',
  ],
  es: [
    '- Terminé la exportación CSV de facturación\n- Revisé el PR #412 de Ana\n[ ] Escribir la guía de migración\n! Bloqueado: sin acceso al servidor de pruebas',
    'Hoy:\n- Reunión con el cliente\n- Desplegué la versión 2.3 en staging\n\nSaludos,\nLucía',
  ],
  it: [
    "- Completato l'export CSV della fatturazione\n- Revisionata la PR #412 di Anna\n[ ] Scrivere la guida di migrazione\n! Bloccato: mancano le credenziali di staging",
    "Fatto oggi:\n- Sistemato il test di login\n- Aggiornato l'indice di ricerca\n\nCiao,\nMarco",
  ],
  nl: [
    '- CSV-export voor facturatie afgerond\n- PR #412 van Anna gereviewd\n[ ] Migratiehandleiding schrijven\n! Geblokkeerd: geen toegang tot staging',
    'Vandaag gedaan:\n- Inlogtest gerepareerd\n- Zoekindex opnieuw opgebouwd\n\nGroet,\nSanne',
  ],
  pl: [
    '- Skończyłem eksport CSV do faktur\n- Przejrzałem PR #412 od Anny\n[ ] Napisać przewodnik migracji\n! Zablokowane: brak dostępu do serwera testowego',
    'Dzisiaj:\n- Naprawiony test logowania\n- Przebudowany indeks wyszukiwania\n\nPozdrawiam,\nKasia',
  ],
  ru: [
    '- Доделал выгрузку счетов в CSV\n- Посмотрел PR #412 от Анны\n[ ] Написать руководство по миграции\n! Блокер: нет доступа к тестовому серверу',
    'Сегодня:\n- Починил тест входа\n- Перестроил поисковый индекс\n\nСпасибо,\nИван',
  ],
  pt: [
    '- Finalizei a exportação CSV do faturamento\n- Revisei o PR #412 da Ana\n[ ] Escrever o guia de migração\n! Bloqueado: sem acesso ao servidor de homologação',
    'Hoje:\n- Corrigi o teste de login\n- Reconstruí o índice de busca\n\nAbraços,\nJoão',
  ],
  sv: [
    '- Gjorde klart CSV-exporten för fakturor\n- Granskade Annas PR #412\n[ ] Skriva migreringsguiden\n! Blockerad: saknar åtkomst till testmiljön',
    'Idag:\n- Fixade inloggningstestet\n- Byggde om sökindexet\n\nHälsningar,\nErik',
  ],
  da: [
    '- Færdiggjorde CSV-eksporten til fakturering\n- Gennemgik Annas PR #412\n[ ] Skrive migreringsguiden\n! Blokeret: mangler adgang til testserveren',
    'I dag:\n- Rettede login-testen\n- Genopbyggede søgeindekset\n\nMvh\nMads',
  ],
  nb: [
    '- Fullførte CSV-eksporten for fakturering\n- Gikk gjennom PR #412 fra Anna\n[ ] Skrive migreringsveiledningen\n! Blokkert: mangler tilgang til testserveren',
    'I dag:\n- Fikset innloggingstesten\n- Bygde søkeindeksen på nytt\n\nHilsen\nIngrid',
  ],
  fi: [
    '- Laskutuksen CSV-vienti valmis\n- Katselmoin Annan PR:n #412\n[ ] Kirjoita migraatio-ohje\n! Estynyt: ei pääsyä testipalvelimelle',
    'Tänään:\n- Korjasin kirjautumistestin\n- Rakensin hakuindeksin uudelleen\n\nTerveisin\nMikko',
  ],
  tr: [
    "- Faturalama için CSV dışa aktarımını bitirdim\n- Anna'nın #412 numaralı PR'ını inceledim\n[ ] Geçiş kılavuzunu yaz\n! Engel: test sunucusuna erişimim yok",
    'Bugün:\n- Giriş testini düzelttim\n- Arama dizinini yeniden oluşturdum\n\nTeşekkürler,\nAyşe',
  ],
  zh: [
    '- 完成了账单 CSV 导出\n- 审查了 Anna 的 PR #412\n[ ] 编写迁移指南\n! 阻塞：没有测试服务器的访问权限',
    '今天：\n- 修复了登录测试\n- 重建了搜索索引\n\n谢谢，\n李雷',
  ],
  ja: [
    '- 請求書のCSVエクスポートを完了\n- AnnaさんのPR #412をレビュー\n[ ] 移行ガイドを書く\n! ブロッカー：ステージング環境の認証情報待ち',
    '本日の作業：\n- ログインテストを修正\n- 検索インデックスを再構築\n\nよろしくお願いします。\n田中',
  ],
  ko: [
    '- 청구서 CSV 내보내기 완료\n- Anna의 PR #412 리뷰\n[ ] 마이그레이션 가이드 작성\n! 블로커: 스테이징 서버 접근 권한 없음',
    '오늘 한 일:\n- 로그인 테스트 수정\n- 검색 인덱스 재구축\n\n감사합니다.\n김민수',
  ],
  cs: [
    '- Dokončil jsem export faktur do CSV\n- Zrevidoval jsem PR #412 od Anny\n[ ] Napsat průvodce migrací\n! Blokováno: chybí přístup k testovacímu serveru',
    'Dnes:\n- Opravil jsem test přihlášení\n- Přestavěl jsem vyhledávací index\n\nDíky,\nPetr',
  ],
};

/** Gmail (web and Android) attribution, `{who}` is `Name <address>`. */
export const GMAIL_ATTR: Record<Lang, string> = {
  en: 'On Tue, Nov 24, 2026 at 5:02 PM {who} wrote:',
  fr: 'Le mar. 24 nov. 2026 à 17:02, {who} a écrit :',
  de: 'Am Di., 24. Nov. 2026 um 17:02 Uhr schrieb {who}:',
  es: 'El mar, 24 nov 2026 a las 17:02, {who} escribió:',
  it: 'Il giorno mar 24 nov 2026 alle ore 17:02 {who} ha scritto:',
  nl: 'Op di 24 nov 2026 om 17:02 schreef {who}:',
  pl: 'wt., 24 lis 2026 o 17:02 {who} napisał(a):',
  ru: 'вт, 24 нояб. 2026 г. в 17:02, {who}:',
  pt: 'Em ter., 24 de nov. de 2026 às 17:02, {who} escreveu:',
  sv: 'Den tis 24 nov. 2026 kl 17:02 skrev {who}:',
  da: 'Den tir. 24. nov. 2026 kl. 17.02 skrev {who}:',
  nb: 'tir. 24. nov. 2026 kl. 17:02 skrev {who}:',
  fi: 'ti 24.11.2026 klo 17.02 {who} kirjoitti:',
  tr: '{who}, 24 Kas 2026 Sal, 17:02 tarihinde şunu yazdı:',
  zh: '{who} 于2026年11月24日周二 17:02写道：',
  ja: '2026年11月24日(火) 17:02 {who}:',
  ko: '2026년 11월 24일 (화) 오후 5:02, {who}님이 작성:',
  cs: 'út 24. 11. 2026 v 17:02 odesílatel {who} napsal:',
};

/** Apple Mail and iOS Mail attribution. */
export const APPLE_ATTR: Record<Lang, string> = {
  en: 'On 24 Nov 2026, at 17:02, {who} wrote:',
  fr: 'Le 24 nov. 2026 à 17:02, {who} a écrit :',
  de: 'Am 24.11.2026 um 17:02 schrieb {who}:',
  es: 'El 24 nov 2026, a las 17:02, {who} escribió:',
  it: 'Il giorno 24 nov 2026, alle ore 17:02, {who} ha scritto:',
  nl: 'Op 24 nov. 2026 om 17:02 heeft {who} het volgende geschreven:',
  pl: 'Wiadomość napisana przez {who} w dniu 24.11.2026, o godz. 17:02:',
  ru: '24 нояб. 2026 г., в 17:02, {who} написал(а):',
  pt: 'Em 24 de nov. de 2026, à(s) 17:02, {who} escreveu:',
  sv: '24 nov. 2026 kl. 17:02 skrev {who}:',
  da: 'Den 24. nov. 2026 kl. 17.02 skrev {who}:',
  nb: '24. nov. 2026 kl. 17:02 skrev {who}:',
  fi: '24.11.2026 kello 17.02, {who} kirjoitti:',
  tr: '24 Kas 2026 tarihinde 17:02 saatinde, {who} şunları yazdı:',
  zh: '在 2026年11月24日，17:02，{who} 写道：',
  ja: '2026/11/24 17:02、{who}のメール：',
  ko: '2026. 11. 24. 오후 5:02, {who} 작성:',
  cs: 'Dne 24. 11. 2026 v 17:02, {who} napsal(a):',
};

/** iOS footer ("Sent from my iPhone") per language. */
export const IPHONE_FOOTER: Record<Lang, string> = {
  en: 'Sent from my iPhone',
  fr: 'Envoyé de mon iPhone',
  de: 'Von meinem iPhone gesendet',
  es: 'Enviado desde mi iPhone',
  it: 'Inviato da iPhone',
  nl: 'Verstuurd vanaf mijn iPhone',
  pl: 'Wysłane z iPhone’a',
  ru: 'Отправлено с iPhone',
  pt: 'Enviado do meu iPhone',
  sv: 'Skickat från min iPhone',
  da: 'Sendt fra min iPhone',
  nb: 'Sendt fra min iPhone',
  fi: 'Lähetetty iPhonesta',
  tr: 'iPhone’umdan gönderildi',
  zh: '发自我的iPhone',
  ja: 'iPhoneから送信',
  ko: 'iPhone에서 보냄',
  cs: 'Odesláno z iPhonu',
};

/** Outlook header block keys: from, sent, to, subject. */
export const OUTLOOK_KEYS: Record<Lang, [string, string, string, string]> = {
  en: ['From', 'Sent', 'To', 'Subject'],
  fr: ['De', 'Envoyé', 'À', 'Objet'],
  de: ['Von', 'Gesendet', 'An', 'Betreff'],
  es: ['De', 'Enviado el', 'Para', 'Asunto'],
  it: ['Da', 'Inviato', 'A', 'Oggetto'],
  nl: ['Van', 'Verzonden', 'Aan', 'Onderwerp'],
  pl: ['Od', 'Wysłano', 'Do', 'Temat'],
  ru: ['От', 'Отправлено', 'Кому', 'Тема'],
  pt: ['De', 'Enviada em', 'Para', 'Assunto'],
  sv: ['Från', 'Skickat', 'Till', 'Ämne'],
  da: ['Fra', 'Sendt', 'Til', 'Emne'],
  nb: ['Fra', 'Sendt', 'Til', 'Emne'],
  fi: ['Lähettäjä', 'Lähetetty', 'Vastaanottaja', 'Aihe'],
  tr: ['Kimden', 'Gönderildi', 'Kime', 'Konu'],
  zh: ['发件人', '发送时间', '收件人', '主题'],
  ja: ['差出人', '送信日時', '宛先', '件名'],
  ko: ['보낸 사람', '보낸 날짜', '받는 사람', '제목'],
  cs: ['Od', 'Odesláno', 'Komu', 'Předmět'],
};

/** Outlook's long date in each language. */
export const OUTLOOK_DATE: Record<Lang, string> = {
  en: 'Tuesday, November 24, 2026 5:02 PM',
  fr: 'mardi 24 novembre 2026 17:02',
  de: 'Dienstag, 24. November 2026 17:02',
  es: 'martes, 24 de noviembre de 2026 17:02',
  it: 'martedì 24 novembre 2026 17:02',
  nl: 'dinsdag 24 november 2026 17:02',
  pl: 'wtorek, 24 listopada 2026 17:02',
  ru: '24 ноября 2026 г. 17:02',
  pt: 'terça-feira, 24 de novembro de 2026 17:02',
  sv: 'den 24 november 2026 17:02',
  da: '24. november 2026 17:02',
  nb: 'tirsdag 24. november 2026 17:02',
  fi: 'tiistai 24. marraskuuta 2026 17.02',
  tr: '24 Kasım 2026 Salı 17:02',
  zh: '2026年11月24日 17:02',
  ja: '2026年11月24日 17:02',
  ko: '2026년 11월 24일 화요일 오후 5:02',
  cs: 'úterý 24. listopadu 2026 17:02',
};

/** "Get Outlook for iOS" per language (Outlook mobile writes it in the UI language). */
export const OUTLOOK_MOBILE_FOOTER: Partial<Record<Lang, string>> = {
  en: 'Get Outlook for iOS',
  fr: 'Télécharger Outlook pour iOS',
  de: 'Outlook für iOS herunterladen',
  es: 'Obtener Outlook para iOS',
  it: 'Scarica Outlook per iOS',
  nl: 'Outlook voor iOS downloaden',
  pt: 'Baixe o Outlook para iOS',
};

/** Yahoo attribution per language. */
export const YAHOO_ATTR: Partial<Record<Lang, string>> = {
  en: 'On Tuesday, November 24, 2026 at 05:02:11 PM GMT+1, {who} wrote:',
  fr: 'Le mardi 24 novembre 2026, 17:02:11 UTC+1, {who} a écrit :',
  de: 'Am Dienstag, 24. November 2026, 17:02:11 MEZ hat {who} Folgendes geschrieben:',
  es: 'El martes, 24 de noviembre de 2026, 17:02:11 CET, {who} escribió:',
  it: 'Il martedì 24 novembre 2026, 17:02:11 CET, {who} ha scritto:',
  pt: 'Em terça-feira, 24 de novembro de 2026, 17:02:11 BRT, {who} escreveu:',
};

/** Thunderbird attribution (no address by default). */
export const THUNDERBIRD_ATTR: Partial<Record<Lang, string>> = {
  en: 'On 11/24/26 17:02, {name} wrote:',
  de: 'Am 24.11.26 um 17:02 schrieb {name}:',
  fr: 'Le 24/11/2026 à 17:02, {name} a écrit :',
  nl: 'Op 24-11-2026 om 17:02 schreef {name}:',
  pl: 'W dniu 24.11.2026 o 17:02, {name} pisze:',
  ru: '24.11.2026 17:02, {name} пишет:',
  sv: 'Den 2026-11-24 kl. 17:02, skrev {name}:',
  it: 'Il 24/11/26 17:02, {name} ha scritto:',
  es: 'El 24/11/26 a las 17:02, {name} escribió:',
  cs: 'Dne 24. 11. 26 v 17:02 {name} napsal(a):',
};

/** ProtonMail attribution. */
export const PROTON_ATTR: Partial<Record<Lang, string>> = {
  en: 'On Tuesday, November 24th, 2026 at 17:02, {who} wrote:',
  de: 'Am Dienstag, 24. November 2026 um 17:02 schrieb {who}:',
  fr: 'Le mardi 24 novembre 2026 à 17:02, {who} a écrit :',
  es: 'El martes, 24 de noviembre de 2026 a las 17:02, {who} escribió:',
  nl: 'Op dinsdag 24 november 2026 om 17:02 schreef {who}:',
};

/** Zimbra's separator and header keys (from, to, sent, subject). */
export const ZIMBRA: Partial<
  Record<Lang, { rule: string; keys: [string, string, string, string] }>
> = {
  en: { rule: '----- Original Message -----', keys: ['From', 'To', 'Sent', 'Subject'] },
  fr: { rule: '----- Mail original -----', keys: ['De', 'À', 'Envoyé', 'Objet'] },
  de: { rule: '----- Ursprüngliche Mail -----', keys: ['Von', 'An', 'Gesendet', 'Betreff'] },
  es: { rule: '----- Mensaje original -----', keys: ['De', 'Para', 'Enviado', 'Asunto'] },
  it: { rule: '----- Messaggio originale -----', keys: ['Da', 'A', 'Inviato', 'Oggetto'] },
};

/** Samsung Email "-------- Original message --------" blocks. */
export const SAMSUNG: Partial<
  Record<Lang, { rule: string; keys: [string, string, string, string]; footer: string }>
> = {
  en: {
    rule: '-------- Original message --------',
    keys: ['From', 'Date', 'To', 'Subject'],
    footer: 'Sent from my Galaxy',
  },
  de: {
    rule: '-------- Ursprüngliche Nachricht --------',
    keys: ['Von', 'Datum', 'An', 'Betreff'],
    footer: 'Von meinem Galaxy gesendet',
  },
  fr: {
    rule: "-------- Message d'origine --------",
    keys: ['De', 'Date', 'À', 'Objet'],
    footer: 'Envoyé depuis mon Galaxy',
  },
  es: {
    rule: '-------- Mensaje original --------',
    keys: ['De', 'Fecha', 'Para', 'Asunto'],
    footer: 'Enviado desde mi Galaxy',
  },
  it: {
    rule: '-------- Messaggio originale --------',
    keys: ['Da', 'Data', 'A', 'Oggetto'],
    footer: 'Inviato dal mio Galaxy',
  },
  pt: {
    rule: '-------- Mensagem original --------',
    keys: ['De', 'Data', 'Para', 'Assunto'],
    footer: 'Enviado do meu Galaxy',
  },
  nl: {
    rule: '-------- Oorspronkelijk bericht --------',
    keys: ['Van', 'Datum', 'Aan', 'Onderwerp'],
    footer: 'Verzonden vanaf mijn Galaxy',
  },
  ru: {
    rule: '-------- Исходное сообщение --------',
    keys: ['От', 'Дата', 'Кому', 'Тема'],
    footer: 'Отправлено с Galaxy',
  },
};
