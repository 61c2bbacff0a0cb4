import sys; sys.path.insert(0, "tools_k")
from mk import E, write
A="https://www.dw.com/en/ukraine-updates-scholz-confident-about-second-peace-summit/live-70165867?maca=en-rss-en-top-1022-rdf"
B="https://bnt.bg/news/bulgaria-turkey-and-romania-signed-black-sea-mine-clearance-39roadmap-39-330438news.html"
C="https://defensenews.com/naval/2024/07/02/three-nato-allies-activate-black-sea-task-force"
D="https://globaldefense.online/turkey-bulgaria-and-romania-join-forces-to-clear-black-sea-mines/"
Ebta="https://www.bta.bg/en/news/world/910610-mine-countermeasures-black-sea-task-group-performs-reconnaissance-surveillance-"
F="https://slovakia.news-pravda.com/en/russia/2025/10/31/15806.html"
G="https://particle.news/story/us-suspends-romania-brigade-rotation-trimming-eastern-europe-footprint"
H="https://agenceurope.eu/en/bulletin/article/13741/17/united-states-to-downsize-troops-in-europe-according-to-romania"
I="https://www.techensive.com/france-will-increase-its-military-presence-in-romania/"
J="https://www.stiripesurse.ro/french-armored-personnel-carriers-and-tanks-to-arrive-in-romania-at-end-october_2601510.html"
K="https://www.stiripesurse.ro/nato-battle-group-commander-mission-to-contribute-to-deterrence-we-are-ready-to-defend-if-neccessary_2472230.html"
L="https://actualnewsmagazine.com/english/french-soldiers-on-the-front-line-with-nato-in-romania-to-respond-to-any-threat"
M="https://tech.wp.pl/ogromne-sily-nato-przy-granicy-z-ukraina-mocarstwo-wysle-swoj-najlepszy-sprzet,7001969821932512a"
N="https://menafn.com/1107090743/Bulgaria-Defuses-Explosive-Drone-In-Black-Sea-Town"
O="https://sofiaglobe.com/2025/09/16/bulgarian-navy-destroys-drone-in-black-sea-east-of-varna/"
P="https://www.devdiscourse.com/article/law-order/2330786-bulgaria-defuses-another-mine-drifting-near-its-black-sea-coast"
Q="https://britbrief.co.uk/politics/defence/russian-drones-crash-on-nato-territory-in-romania.html"
R="https://www.archyde.com/nato-condemns-russia-after-drone-hits-romania-injuring-two/"
S="https://informat.ro/it/attualita/la-russia-potrebbe-mirare-alla-zona-economica-esclusiva-della-romania-nel-mar-nero-95085"
T="https://reportsardegna24.it/la-nato-costruisce-base-militare-in-romani-la-posizione-della-russia"
U="https://big5.sputniknews.cn/amp/20230930/1053738310.html"
W="https://topnews.media/finance/nato-country-hit-with-fragments-from-an-aerial-device-with-explosions-also-heard-on-moldovan-border-london-business-news"
X="https://raids.fr/premium/le-cap-est-franchi-des-1-000-francais-en-roumanie"
Y="https://babel.ua/en/news/98581-a-wreckage-of-a-drone-with-ammunition-was-found-in-bulgaria"
Z="https://img.bnr.bg/search?gcls=5&tag=Mine+Counter+Measures+Task+Group+Black+Sea"
DS="https://dailysabah.com/politics/turkiye-romania-bulgaria-launch-action-against-black-sea-mines/news"
NV="https://www.novinite.com/articles/221240/Former+Director+of+Bulgarian+Intelligence%3A+Russia+has+serious+superiority+in+the+Black+Sea"
NC="https://www.novinite.com/articles/215302/Russia+might+be+Preparing+a+Provocation+in+the+Black+Sea+%E2%80%93+Bulgaria+is+a+Potential+Target"
PR="https://english.pravda.ru/news/world/159172-nato-romania-base/"
FX="https://foxtrot.news/romania-building-largest-nato-base-in-europe/"
rows = [
("A pair of Romanian F-16s took off in the night when radar tracked an unidentified drone crossing into national airspace as Russia pounded Ukraine, Romania's air force reported.", A, 2024,
 [E("deployment","reported","Romania",None,["f-16 fighter jet"],(2,"fighter jets"),None,"Romania's air force")]),
("Residents of two eastern counties received text alerts while search teams combed the ground for pieces of the drone.", A, 2024, []),
("There were no serious problems in what is a largely empty stretch of countryside, Prime Minister Marcel Ciolacu told reporters after the incursion.", A, 2024, []),
("Fragments that seemed to come from an aerial device turned up on farmland on the Great Braila Island on the evening of 28 March, the Romanian defence ministry said.", W, 2024, []),
("Four warships, two of them Turkish and one each from Romania and Bulgaria, put to sea from Istanbul once the trilateral mine-clearing group had been activated.", B, 2024,
 [E("deployment","reported","Turkey",None,["warship"],(4,"warships"),"Black Sea",None)]),
("The Bulgarian minehunter Struma left its home port of Varna for Istanbul to join the newly formed task group's first activation.", B, 2024,
 [E("deployment","reported","Bulgaria",None,["minehunter"],(1,"ships"),"Istanbul",None)]),
("Twenty mines had already been rendered harmless before the group's first meeting, twelve of them by Bulgaria and Romania and eight by Turkey, Ankara's defence ministry noted.", B, 2024, []),
("The 1936 Montreux Convention lets Turkey regulate the passage of merchant and naval vessels through the Bosporus and the Dardanelles.", C, 2024, []),
("Under the schedule set in Istanbul, the mine countermeasures group is to reassemble at sea from 20 to 29 September and again in early November.", C, 2024,
 [E("deployment","planned","Turkey",None,[],None,"Black Sea","Defense News","cumulative")]),
("Bulgaria is due to take over command of the task force from Turkey on 2 January 2025.", C, 2024, []),
("Each of the three navies is to contribute one mine countermeasures ship, with a command-and-control vessel on top, for fifteen-day patrols held at least twice every six months, the January memorandum states.", D, 2024,
 [E("deployment","planned","Turkey","Romania",["mine countermeasures ship","command ship"],(3,"ships"),"Black Sea","memorandum of understanding","cumulative")]),
("Romania's navy still relies on four Musca-class minesweepers commissioned in the late 1980s.", D, 2024, []),
("The fifth activation of the group opened with a ceremony in the port of Burgas, bringing Bulgarian, Romanian and Turkish warships together to keep shipping lanes clear of mines.", Ebta, 2025,
 [E("deployment","reported","Bulgaria","Turkey",["warship"],None,"Burgas","Bulgarian Defence Ministry")]),
("Crews rehearsed repelling attacks and searching for survivors during the group's time at sea.", Ebta, 2025, []),
("Bulgaria's caretaker cabinet cleared navy ships and personnel to operate beyond the country's twelve-mile zone as part of the mine countermeasures group.", Z, 2024,
 [E("deployment","planned","Bulgaria",None,[],None,None,"Bulgaria's caretaker cabinet")]),
("Washington will stop rotating a brigade whose elements were spread across Romania, Bulgaria, Hungary and Slovakia, Bucharest's defence ministry announced on 29 October.", H, 2025,
 [E("deployment","planned","United States",None,[],(1,"brigades"),"Romania","Romanian Ministry of Defence")]),
("The 2nd Brigade of the 101st Airborne, some three thousand strong, is heading home to Kentucky with no unit coming in behind it, US Army Europe and Africa confirmed.", F, 2025,
 [E("deployment","planned","United States",None,[],(3000,"troops",True),"Kentucky","US Army Europe and Africa")]),
("Roughly a thousand American soldiers will stay on Romanian soil after the cut, down from about 1,700 in April.", F, 2025,
 [E("deployment","expected","United States",None,[],(1000,"troops",True),"Romania",None,False,"cumulative")]),
("The Deveselu missile defence site and the air bases at Campia Turzia and Mihail Kogalniceanu remain in operation, Bucharest stressed.", G, 2025, []),
("Analysts cautioned that Moscow could read the trimmed American footprint as a sign of waning resolve over the Black Sea.", G, 2025, []),
("A French company of armoured personnel carriers and another of Leclerc tanks were travelling to Cincu by rail and road to round out the NATO battlegroup, the Romanian ministry said.", J, 2022,
 [E("deployment","reported","France",None,["armored personnel carrier","leclerc tank"],None,"Cincu","Romanian Ministry of Defence")]),
("Military police warned drivers of possible restrictions on the roads used by the convoys.", J, 2022, []),
("Part of the battlegroup sits at Cincu and part at the Mihail Kogalniceanu air base, its commander, Colonel Christophe Degand, said at a Bastille Day reception.", K, 2022,
 [E("deployment","reported","NATO",None,[],None,"Cincu","Colonel Christophe Degand","cumulative")]),
("The engineers building the camp said they were racing the arrival of winter but were on schedule.", K, 2022, []),
("Thirteen Leclerc tanks now stand in a camp in the foothills of the Carpathians that was empty fields only months earlier.", L, 2023,
 [E("deployment","reported","France",None,["leclerc tank"],(13,"tanks"),"Carpathians",None,False,"cumulative")]),
("By early December the French contingent in Romania had passed the thousand mark, up from seven hundred in the autumn.", X, 2022,
 [E("deployment","reported","France",None,[],(1000,"troops",True),"Romania",None,False,"cumulative")]),
("A further thirty-seven Leclercs and an undisclosed number of CAESAR howitzers are slated to join the Cincu unit when it grows to brigade size next year, according to Polish tech site WP.", M, 2024,
 [E("deployment","planned","France",None,["leclerc tank","caesar self-propelled howitzer"],(37,"tanks"),"Cincu","WP")]),
("A hotelier's call brought a navy bomb-disposal team to Tyulenovo, where an 82-mm mortar round was found strapped to the wreck of a drone lodged in the cliffs.", N, 2023, []),
("The war Russia launched is bound to bring mounting risks to Bulgaria's security, Defence Minister Todor Tagarev warned.", N, 2023,
 [E("forecast","possible","Russia","Bulgaria",[],None,None,"Todor Tagarev")]),
("Bulgaria's navy destroyed a damaged drone it had located about eighty kilometres east of Varna, with a helicopter, a cutter and a ship taking part.", O, 2025, []),
("No explosives were found on the unmanned aircraft that washed up on Burgas's north beach.", O, 2025, []),
("Since the start of the invasion, roughly forty drifting mines have been destroyed in the western Black Sea by Turkey, Romania, Bulgaria and Ukraine.", P, 2022, []),
("A Ukrainian-flagged motorboat raised the alarm about the mine off Cape Kochan.", P, 2022, []),
("Romania's navy sent divers to Costinesti after a sea mine blew up off a beach hotel, fearing a second one lay nearby.", Y, 2023,
 [E("deployment","reported","Romania",None,[],None,"Costinesti",None)]),
("Experts judge that Moscow is deliberately probing NATO's red lines by striking Danube ports a few kilometres from Romania's border.", Q, 2023,
 [E("forecast","possible","Russia","NATO",[],None,"Danube","experts")]),
("Moscow might next challenge Romania head-on in its Black Sea economic zone, where the country is most exposed, security expert George Scutaru told Digi24.", S, 2025,
 [E("forecast","possible","Russia","Romania",[],None,"Black Sea","George Scutaru")]),
("Russia's foreign ministry said it would weigh the risks of a new NATO base in Romania in its military planning.", T, 2024, []),
("Bucharest widened its no-fly zone and took four more American F-16s into its air defence as worry grew that the war could spill over.", U, 2023,
 [E("deployment","reported","United States","Romania",["f-16 fighter jet"],(4,"fighter jets"),"Romania","Sputnik")]),
("Turkey's naval commander called the launch a concrete sign of joint determination for Black Sea security.", DS, 2024, []),
("Mines laid off Ukraine's coast early in the war have since drifted into the waters of the three NATO neighbours.", DS, 2024, []),
("A brigade-level command element was placed forward in Romania in December in case a larger force should ever be needed there.", X, 2022,
 [E("deployment","reported","France",None,[],None,"Romania",None)]),
("Gyaurov, a former head of Bulgaria's intelligence service, was confident that Moscow would stop short of any direct clash with NATO.", NV, 2025,
 [E("forecast","expected","Russia","NATO",[],None,None,"Dimo Gyaurov",True)]),
("The navies of Bulgaria and Romania are built for patrolling rather than for combat, Gyaurov told BNT.", NV, 2025, []),
("A civic group tracking occupied Crimea could not rule out Russian shelling of coastal sites in Bulgaria or Romania as part of a staged provocation.", NC, 2023,
 [E("forecast","possible","Russia","Bulgaria",["artillery"],None,None,"Association for the Reintegration of Crimea")]),
("A Gyurza-M armoured artillery boat seized from Ukraine at Berdyansk has been moved to the Black Sea and sighted near Sevastopol and Snake Island, the association said.", NC, 2023,
 [E("deployment","reported","Russia",None,["gyurza-m artillery boat"],(1,"boats"),"Snake Island","Association for the Reintegration of Crimea")]),
("About three thousand service members are based at Mihail Kogalniceanu, and base commander Nicolae Cresu said the enlarged site would be fully running by 2040.", PR, 2024,
 [E("deployment","reported","NATO",None,[],(3000,"troops",True),"Mihail Kogalniceanu","Nicolae Cresu",False,"cumulative")]),
("Over 1,800 troops and hundreds of vehicles were shifted to the base near the Black Sea in 2022.", PR, 2022,
 [E("deployment","reported","NATO",None,["vehicle"],(1800,"troops",True),None,None)]),
("The enlarged complex is planned to house up to ten thousand personnel and their families on some three thousand hectares at a cost of 2.5 billion euros.", PR, 2024,
 [E("deployment","planned","NATO",None,[],(10000,"troops",True),None,None,False,"cumulative")]),
("The fighting in southern Ukraine is unlikely to be over this year, in 2025 or in 2026, geopolitical analyst Dorin Popescu judged.", FX, 2024,
 [E("forecast","expected","Russia","Ukraine",[],None,"southern Ukraine","Dorin Popescu")]),
("Bulgaria intends to build a $55 million NATO facility in the Yambol region, with barracks, storage and roads, Defence Minister Todor Tagarev said.", FX, 2024, []),
("Most officers of the multinational battlegroup based in Bulgaria are to come from Italy, according to Tagarev.", FX, 2024,
 [E("deployment","planned","Italy","Bulgaria",[],None,"Bulgaria","Todor Tagarev",False,"cumulative")]),
]
write("black-sea-nato", rows, "corpus/sentences/black-sea-nato.jsonl")
