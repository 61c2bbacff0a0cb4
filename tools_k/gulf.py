import sys; sys.path.insert(0, "tools_k")
from mk import E, write
AM="https://app.al-monitor.com/originals/2026/01/us-evacuates-some-personnel-qatar-air-base-amid-trump-threat-strike-iran"
SP="https://saudipress.com/iran-warns-it-will-strike-us-bases-in-region-if-attacked-raising-tensions-across-gulf"
GT="https://globaltrackerng.com/iran-issues-stark-warning-to-gulf-states-as-us-tehran-tensions-spike"
BT="https://www.businesstoday.in/world/story/us-bases-would-be-legitimate-targets-iranian-fm-warns-of-retaliation-if-america-strikes-518008-2026-02-25?utm_source=rssfeed"
GTT="https://globaltimestoday.com/world-news-iran-warns-hit-us-bases-if-strikes-occur"
IT="https://www.indiatoday.in/information/story/if-the-war-is-with-the-us-and-israel-why-is-iran-targeting-the-gulf-2876418-2026-03-02"
EFE="https://www.efe.com/efe/english/portada/arab-gulf-states-pushed-to-frontline-amid-us-iran-rising-tension/50000260-4149938"
GS="https://www.globalsecurity.org/military/world/gulf/qatar-forrel-bases.htm"
TRT="https://trt.global/world/article/13103206"
DPK="https://defence.pk/threads/turkey-sends-more-troops-to-qatar.535602"
MEC="https://me-confidential.com/21728-turkey-deepens-military-presence-in-qatar-new-base-to-be-unveiled-in-autumn.html"
DL="https://dohalife.com/an-important-military-development-in-qatar/"
NAT="https://www.thenational.ae/world/bahrain-agrees-to-uk-navy-base-1.479101"
NR="https://dev.navyrecognition.com/index.php/news/defence-news/year-2015-news/november-2015-navy-naval-forces-defense-industry-technology-maritime-security-global-news/3209-uk-returns-to-the-middle-east-with-a-permanent-royal-navy-base-in-bahrain.html"
HAN="https://hansard.parliament.uk/Commons/2018-11-20/debates/F280FC05-9A95-4F2E-BAEC-E2AE46190703/details"
MD="https://muscatdaily.com/Archive/Oman/UK-looks-to-set-up-permanent-army-training-base-in-Oman-4nvn"
WK="https://en.wikipedia.org/wiki/Omani-British_Joint_Training_Area"
QC="https://quillorcapture.com/2016/05/19/practice-makes-perfect/"
NT="https://www.nationthailand.com/blogs/news/world/40063301"
TW="https://www.trtworld.com:443/article/1f858ca31ea7"
AMF="https://archive.almanar.com.lb/french/article.php?id=191706"
DA="http://www.defense-aerospace.com/cgi-bin/client/modele.pl?shop=dae&modele=release&prod=191896&cat=3"
WA="https://winabode.com/2022/01/26/al-dhafra-what-do-you-know-about-the-us-french-military-base-in-the-uae/"
TK="http://www.timeskuwait.com/Times_US-brigade-of-4-000-soldiers-headed-to-Kuwait"
TP="https://turcopolier.com/why-are-two-us-army-combat-brigades-still-in-kuwait"
AB="https://de.abna24.com/story/759666"
HJ="https://thehindustanjagran.blogspot.com/2025/06/iran-israel-war-us-military-aircraft-in.html"
IT14="https://www.indiatoday.in/india/video/jayesh-vani-alleges-cash-for-votes-in-maharashtra-claims-police-and-ec-are-sold-ytvd-2852099-2026-01-14?utm_source=rss"
DSS="https://defence-and-security.com/features/featurebritish-base-in-the-gulf-5711080/"
UKDJ="https://ukdefencejournal.org.uk/britain-in-bahrain-a-permanent-british-base-in-the-persian-gulf/"
rows = [
("Some personnel began leaving Al Udeid on a temporary basis while President Trump weighed strikes on Iran's government, two officials told Al-Monitor.", AM, 2026,
 [E("deployment","reported","United States",None,[],None,"Al Udeid Air Base","two officials, via Al-Monitor")]),
("Qatar's government media office confirmed that the base was being partly emptied in view of regional tensions.", AM, 2026,
 [E("deployment","reported","United States",None,[],None,None,"Qatar's government media office")]),
("Tehran will answer any attack on Iranian soil, Defence Minister Aziz Nasirzadeh warned on Tuesday.", AM, 2026, []),
("Parliament speaker Mohammad-Baqer Qalibaf declared that US and Israeli forces across the region would be legitimate targets should Washington strike.", SP, 2026, []),
("Gulf capitals including Riyadh, Doha and Muscat were working the phones to head off a military clash between Tehran and Washington.", SP, 2026, []),
("Regional diplomats and defence analysts say a US offensive would this time bring Iranian strikes on American bases far heavier than the choreographed salvo of the past.", GT, 2026,
 [E("forecast","possible","Iran","United States",[],None,None,"regional diplomats and defence analysts")]),
("Warships, carrier strike groups and extra fighter squadrons have been streaming into the Middle East as Washington presses Tehran, the outlet noted.", GT, 2026,
 [E("deployment","reported","United States",None,["warship","aircraft carrier","fighter jet"],None,"Middle East","Global Tracker")]),
("Between forty and forty-three thousand American troops are spread over Qatar, Bahrain, Kuwait, the Emirates, Iraq and other hosts.", GT, 2026,
 [E("deployment","reported","United States",None,[],(40000,"troops",True),"Middle East",None,False,"cumulative")]),
("The UAE has ruled out letting its bases be used for any attack on Iran.", GT, 2026, []),
("How far the Gulf hosts can really keep their airspace and waters out of a US campaign is an open question, Abbas Araghchi told India Today.", BT, 2026, []),
("Washington has massed its largest force in the region in decades while the president mulls striking Iran.", BT, 2026,
 [E("deployment","reported","United States","Iran",[],None,None,None,False,"cumulative")]),
("Analysts fear even a limited strike would spiral quickly into a wider war that drags in regional allies and chokes Gulf shipping.", GTT, 2026,
 [E("forecast","possible","Iran","United States",[],None,"Persian Gulf","analysts")]),
("American forces across the region were put on heightened alert, the Pentagon said.", GTT, 2026, []),
("Since the February 28 strikes on Iran, Iranian missiles and drones have been fired at Bahrain, Kuwait, Qatar, the Emirates and Saudi Arabia, India Today tallied.", IT, 2026, []),
("A drone strike on the Kuwaiti airport left people injured, according to the India Today roundup.", IT, 2026,
 [E("casualty","reported","civilians",None,["drone"],None,"Kuwait International Airport","India Today")]),
("The Gulf monarchies that host US forces stand to be hit if Tehran opts for further retaliation after the killing of Qasem Soleimani, EFE's analysis warned.", EFE, 2020,
 [E("forecast","possible","Iran",None,[],None,"Persian Gulf","EFE")]),
("Turkish ground troops began arriving at Tariq Bin Ziyad, south of Doha, in 2015 under a deal signed the year before.", DL, 2015,
 [E("deployment","reported","Turkey","Qatar",[],None,"Tariq Bin Ziyad",None)]),
("A further contingent of Turkish soldiers touched down in Doha and joined the force already stationed at the Tariq bin Ziyad base, Qatar's defence ministry announced.", DPK, 2017,
 [E("deployment","reported","Turkey","Qatar",[],None,"Tariq bin Ziyad","Qatar's defence ministry")]),
("Ankara aims over time to bring its force in Qatar up to three thousand and keep a brigade there.", DPK, 2017,
 [E("deployment","planned","Turkey","Qatar",[],(3000,"troops",True),"Qatar",None,False,"cumulative")]),
("Shutting the Turkish base featured among the thirteen demands the Saudi-led bloc put to Doha.", DPK, 2017, []),
("Air and naval units will follow the ground troops to Qatar, Turkey's ambassador Fikret Ozer told reporters, though he named no date.", TRT, 2018,
 [E("deployment","planned","Turkey","Qatar",[],None,"Qatar","Fikret Ozer")]),
("How many Turkish soldiers are in Qatar is for the hosts to disclose, the envoy said.", TRT, 2018, []),
("The troop numbers will climb to a drastic figure, Hurriyet's correspondent said of a second Turkish base near Tariq bin Ziyad due to open in the autumn.", MEC, 2019,
 [E("forecast","expected","Turkey","Qatar",[],None,"Tariq bin Ziyad","Hande Firat, Hurriyet"),
  E("deployment","expected","Turkey","Qatar",[],None,"Tariq bin Ziyad","Hande Firat, Hurriyet")]),
("The camp hosted some three thousand Qatari and Turkish troops before the new site was unveiled.", MEC, 2019,
 [E("deployment","reported","Turkey","Qatar",[],(3000,"troops",True),None,None,False,"cumulative")]),
("Turkish troops there will be able to join operations in the Red Sea, North Africa and the Gulf once the base is complete, Defence Minister Ismet Yilmaz said in Doha.", GS, 2016, []),
("Britain's Gulf Squadron sailed away from HMS Jufair for the final time on 1 December 1971.", NAT, 2014,
 [E("deployment","reported","United Kingdom",None,[],None,"HMS Jufair",None,False,"cumulative")]),
("British warships will once again have a permanent home in the Gulf under a deal for dedicated facilities at Mina Salman signed in Manama.", NAT, 2014,
 [E("deployment","planned","United Kingdom","Bahrain",["warship"],None,"Mina Salman",None)]),
("About eighty personnel are to be posted to the new facility, which will at first support four minesweepers.", NR, 2015,
 [E("deployment","planned","United Kingdom","Bahrain",["minesweeper"],(80,"personnel",True),None,None)]),
("Critics including Jeremy Corbyn and Amnesty International pointed to Bahrain's human rights record.", NR, 2015, []),
("A Type 23 frigate is likely to be based at HMS Juffair permanently before long, a Conservative MP told the Commons.", HAN, 2018,
 [E("forecast","expected","United Kingdom","Bahrain",["type 23 frigate"],(1,"frigates"),"HMS Juffair","a Conservative MP"),
  E("deployment","expected","United Kingdom","Bahrain",["type 23 frigate"],(1,"frigates"),"HMS Juffair","a Conservative MP")]),
("Roughly five hundred bed spaces make the base big enough for a company group.", HAN, 2018, []),
("London wants a standing army training hub near Duqm, staffed by British soldiers, Defence Secretary Michael Fallon said on a visit to Muscat.", MD, 2016,
 [E("deployment","planned","United Kingdom","Oman",[],None,"Duqm","Michael Fallon")]),
("A deal between Babcock and Oman Drydock to service warships at Duqm could be worth up to 100 million pounds.", MD, 2016, []),
("The Royal Tank Regiment and the 1st Armoured Infantry Brigade were sent to the Ras Madrakah area for Khanjer Oman 19 to test the new joint training ground.", WK, 2019,
 [E("deployment","reported","United Kingdom","Oman",[],None,"Ras Madrakah",None)]),
("The RAF's 902 Expeditionary Air Wing now operates out of Musannah, having moved from an undisclosed site.", QC, 2016,
 [E("deployment","reported","United Kingdom","Oman",[],None,"Musannah",None,False,"cumulative")]),
("France sent Rafale jets to fly patrols over the Emirates after a drone hit a hangar at its base there, Foreign Minister Jean-Noel Barrot told BFMTV.", NT, 2026,
 [E("deployment","reported","France","United Arab Emirates",["rafale fighter jet"],None,"United Arab Emirates","Jean-Noel Barrot")]),
("The carrier Charles de Gaulle and its escorting frigates were dispatched to the Mediterranean.", NT, 2026,
 [E("deployment","reported","France",None,["charles de gaulle aircraft carrier","frigate"],None,"Mediterranean Sea",None)]),
("Several hundred French sailors, airmen and soldiers are based in the Emirates, with the Rafales parked at Dhafra.", TW, 2026,
 [E("deployment","reported","France","United Arab Emirates",["rafale fighter jet"],None,"Al Dhafra Air Base",None,False,"cumulative")]),
("Talks are multiplying on how the Emirates can fend off future attacks, Barrot added.", TW, 2026, []),
("Six Rafales and around 750 personnel make up the French detachment at Al-Dhafra, alongside a Foreign Legion half-brigade camped nearby.", AMF, 2014,
 [E("deployment","reported","France","United Arab Emirates",["rafale fighter jet"],(750,"personnel",True),"Al Dhafra Air Base",None,False,"cumulative")]),
("The French staff declined, for operational reasons, to discuss any reinforcement of the base.", AMF, 2014, []),
("Twenty-eight night sorties in four days were flown from Air Base 104 over the Gulf with Emirati and Moroccan crews.", DA, 2018, []),
("Patriot batteries at Al Dhafra shot down two ballistic missiles before dawn on 24 January, US Central Command said.", WA, 2022, []),
("Around two thousand US troops and civilian staff work at the Abu Dhabi base, CENTCOM disclosed.", WA, 2022,
 [E("deployment","reported","United States","United Arab Emirates",[],(2000,"troops",True),"Al Dhafra Air Base","US Central Command",False,"cumulative")]),
("More than four thousand soldiers from Fort Carson, with tanks and Bradleys, are on their way to Kuwait.", TK, 2015,
 [E("deployment","reported","United States","Kuwait",["tank","bradley fighting vehicle"],(4000,"troops",True),"Kuwait",None)]),
("The brigade has trained for more than a year for the mission, its commander said.", TK, 2015, []),
("Two US ground combat brigades remain in Kuwait, presumably at Camps Arifjan and Buehring, a retired intelligence officer wrote.", TP, 2019,
 [E("deployment","reported","United States","Kuwait",[],(2,"brigades"),"Kuwait","a retired intelligence officer",False,"cumulative")]),
("An Iranian push through southern Iraq to Kuwait's border is a fanciful scenario, the blog argued.", TP, 2019,
 [E("forecast","possible","Iran","Kuwait",[],None,"Kuwait","Sic Semper Tyrannis blog",True)]),
("Twenty-five Carolina guardsmen and an AH-64 Apache left for Kuwait on Friday, Major General Livingston said.", AB, 2019,
 [E("deployment","reported","United States","Kuwait",["ah-64 apache helicopter"],(25,"soldiers"),"Kuwait","Major General Livingston")]),
("Talk in Washington policy circles of a possible military intervention has grown as Tehran's crackdown on protesters goes on.", SP, 2026,
 [E("forecast","possible","United States","Iran",[],None,None,"US policy circles")]),
("Tehran cautioned that American intervention would set off an all-out war, naming bases in Qatar, Bahrain and the Emirates as exposed.", HJ, 2025, []),
("Any US military move against Iran is heading for disaster, a professor interviewed in the bulletin warned.", IT14, 2026,
 [E("forecast","possible","United States","Iran",[],None,"Iran","a professor")]),
("Signs point to Royal Navy ships also putting in at a new privately built port in Oman, the trade journal found.", DSS, 2016,
 [E("forecast","possible","United Kingdom","Oman",["warship"],None,"Oman","Defence & Security Systems International"),
  E("deployment","possible","United Kingdom","Oman",["warship"],None,"Oman","Defence & Security Systems International")]),
("HMS Juffair is poised to take in the Queen Elizabeth class carriers once its upgrades are finished, UK Defence Journal wrote.", UKDJ, 2018,
 [E("forecast","expected","United Kingdom","Bahrain",["queen elizabeth-class aircraft carrier"],None,"HMS Juffair","UK Defence Journal"),
  E("deployment","expected","United Kingdom","Bahrain",["queen elizabeth-class aircraft carrier"],None,"HMS Juffair","UK Defence Journal")]),
("Theresa May spoke to Royal Navy officers on board HMS Ocean, which was stationed at Bahrain's Khalifa bin Salman port.", DSS, 2016,
 [E("deployment","reported","United Kingdom","Bahrain",["hms ocean amphibious assault ship"],(1,"ships"),"Khalifa bin Salman Port",None,False,"cumulative")]),
]
write("gulf-bases", rows, "corpus/sentences/gulf-bases.jsonl")
