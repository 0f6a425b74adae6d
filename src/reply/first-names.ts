/**
 * Common given names across the languages our members write, folded (lower-case, no accents).
 * Without a sender context, a short last line is read as a person's name only when it starts
 * with one of these: "Jane" or "Jane Doe" closes a reply, "Deploy" or "Standup" does not.
 */
const NAMES = `
aaron abby adam adrian agnes ahmed aiden aisha alan albert alex alexander alexandra alexis alfred
ali alice alicia alina alison amanda amber amelia amir amy ana andre andrea andreas andrew andy
angela angelo anika anita ann anna anne annie anthony anton antonio arjun arthur ashley aurelie
barbara bart ben benjamin bernard beth betty bill billy bjorn bo bob bobby boris brad brandon
brenda brian bruce bruno bryan camille carl carla carlos carmen carol caroline carlo casey
catherine cathy charles charlie charlotte chen chris christian christina christine christopher
claire clara claudia colin craig cristina dan dana daniel daniela danny dave david dean debbie
deborah denis dennis diana diane diego dimitri dmitry dominik donald donna doug douglas dylan ed
eddie edward elena eli elias elif elizabeth ella ellen emily emma emil emre eric erik erin ethan
eva eve evan fabian fatima felix fernando filip fiona florian francesca francesco francis frank
franz fred frederik gabriel gabriela gary george georg gerard gina giovanni giulia giuseppe glen
grace greg gregory guillaume gustav hanna hannah hans harry hassan heather helen helena henrik
henry hiroshi hugo ian igor ilse ines ingrid irene isabel isabella ivan jack jacob jake james
jamie jan jana jane janet jason jean jeff jennifer jenny jens jeremy jerry jessica jim jimmy jo
joan joao joe joel johan johann john johnny jon jonas jonathan jordan jorge jose joseph josh
joshua juan judith julia julian julie julien justin kai karen karin karl kasia kate katherine
kathy katie kay keith kelly ken kenji kevin kim klaus kristina kurt kyle lara lars laura lauren
lea leah lee lena leo leon leonardo liam lily linda lisa liz lorenzo louis louise luca lucas lucia
lucy luis luka lukas luke lydia magnus maja manuel marc marcel marco marcus margaret maria marie
marina mario mark marta martin mary mateo mathias matt matteo matthew max maxim maya megan mehmet
mei melissa mia michael michal michel michelle miguel mike mikko mila miriam mohamed mohammed
monica monika nadia nancy natalia natalie nathan neil nick nicholas nicolas nicole niels nika
nikolai nils nina noah noel nora olga oliver olivia omar oscar pablo pamela paolo pascal patricia
patrick paul paula pavel pedro peter petr petra phil philip philipp pierre piotr priya rachel
rafael raj ralf ramon randy raphael raul rebecca richard rick rita rob robert roberto robin roger
roman ron ronald rosa ruben ruth ryan sabine sam samantha samuel sandra sanne sara sarah sasha
scott sean sebastian sergei sergey shawn simon simone sofia sophia sophie stefan stefano stephanie
stephen steve steven sue susan sven sylvia tanya ted teresa thomas tim timothy tina tobias todd
tom tomas tommy tony tyler ursula valentina vanessa vera victor victoria vincent viktor vivian
walter wei wendy william xavier yannick yasmin yuki yusuf zoe zoltan ayse ahmet mustafa olena
oksana dmytro yuri yulia svetlana tatiana anastasia aleksandr alexei mateusz jakub tomasz
katarzyna agnieszka malgorzata joanna lukasz krzysztof marek jiri jaroslav eszter laszlo istvan
bence andras ioana andrei mihai elisa giorgio federica chiara alessandro davide riccardo lorena
javier sergio alejandro carolina lucie margot mathilde theo hugues remi thibault jurgen dieter
uwe horst wolfgang matthias kerstin birgit anke silke sanna jukka juha pekka timo heikki antti
ingrid astrid sigrid kari knut ola ole lasse mette hanne soren anders karin ulla ebba axel
`;

export const FIRST_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));
