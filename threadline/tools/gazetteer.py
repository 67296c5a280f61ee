"""Names of places a news report names alone, for `new` to guess their kind: countries, capitals, large cities.

Without it a lone word ("Warsaw has signalled …", "officials in Kyiv and Brussels") is guessed a
person, and a country opening a sentence ("Poland had covered the cost …") is taken for a sentence's
first word. The list is short on purpose: a guess is confirmed by the editor, and a place missing
here is still found by the words around it ("in", "to", "from" …).
"""

from __future__ import annotations

COUNTRIES = """Afghanistan Albania Algeria Andorra Angola Argentina Armenia Australia Austria Azerbaijan Bahamas Bahrain
Bangladesh Barbados Belarus Belgium Belize Benin Bhutan Bolivia Bosnia Botswana Brazil Brunei Bulgaria Burkina Burundi
Cambodia Cameroon Canada Chad Chile China Colombia Comoros Congo Croatia Cuba Cyprus Czechia Denmark Djibouti Dominica
Ecuador Egypt Eritrea Estonia Eswatini Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana Greece Grenada
Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan
Jordan Kazakhstan Kenya Kiribati Kosovo Kuwait Kyrgyzstan Laos Latvia Lebanon Lesotho Liberia Libya Liechtenstein
Lithuania Luxembourg Madagascar Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Micronesia Moldova
Monaco Mongolia Montenegro Morocco Mozambique Myanmar Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria Norway
Oman Pakistan Palau Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Samoa
Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname Sweden Switzerland Syria Taiwan
Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Türkiye Turkmenistan Tuvalu Uganda Ukraine Uruguay Uzbekistan
Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe Britain England Scotland Wales Europe Asia Africa America Antarctica
Crimea Donbas Gaza Kashmir Tibet Xinjiang Siberia Kaliningrad Transnistria Greenland Arctic Baltics Balkans
UK US USA UAE"""

MULTI_WORD = ["United States", "United Kingdom", "United Arab Emirates", "Saudi Arabia", "South Korea", "North Korea",
              "South Africa", "South Sudan", "New Zealand", "Sri Lanka", "Costa Rica", "El Salvador", "Ivory Coast",
              "Czech Republic", "Dominican Republic", "Central African Republic", "Papua New Guinea", "East Timor",
              "Hong Kong", "New York", "New Delhi", "Buenos Aires", "Kuala Lumpur", "Tel Aviv", "San Francisco",
              "Los Angeles", "Abu Dhabi", "Addis Ababa", "Mexico City", "Cape Town", "Rio de Janeiro", "Sao Paulo", "São Paulo",
              "St Petersburg", "Saint Petersburg", "Las Vegas", "Silicon Valley", "Middle East", "Latin America",
              "North America", "South America", "Western Europe", "Eastern Europe", "Central Asia", "West Bank",
              "Red Sea", "Black Sea", "South China Sea", "Taiwan Strait", "Persian Gulf", "Baltic Sea", "The Hague"]

CITIES = """Kyiv Kiev Moscow Beijing Shanghai Shenzhen Guangzhou Wuhan Brussels Warsaw Berlin Paris London Madrid Rome
Lisbon Vienna Prague Budapest Bucharest Sofia Athens Ankara Istanbul Helsinki Stockholm Oslo Copenhagen Tallinn Riga
Vilnius Minsk Chisinau Tbilisi Yerevan Baku Astana Almaty Tashkent Bishkek Dushanbe Ashgabat Kabul Tehran Baghdad
Damascus Beirut Amman Jerusalem Riyadh Doha Dubai Muscat Manama Cairo Tripoli Tunis Algiers Rabat Casablanca Khartoum
Nairobi Lagos Abuja Accra Dakar Kinshasa Luanda Johannesburg Pretoria Harare Lusaka Kampala Kigali Mogadishu
Delhi Mumbai Bangalore Bengaluru Kolkata Chennai Karachi Lahore Islamabad Dhaka Kathmandu Colombo Yangon Bangkok Hanoi
Manila Jakarta Singapore Taipei Seoul Pyongyang Tokyo Osaka Canberra Sydney Melbourne Wellington Auckland Ottawa
Toronto Montreal Vancouver Washington Chicago Boston Seattle Miami Atlanta Dallas Denver Detroit
Brasilia Bogota Lima Caracas Havana Quito Montevideo Geneva Zurich Davos Munich Frankfurt Hamburg Milan
Amsterdam Rotterdam Dublin Edinburgh Luxembourg Kharkiv Odesa Odessa Lviv Dnipro Mariupol Kherson Zaporizhzhia
Donetsk Luhansk Bakhmut Sevastopol Vladivostok Novosibirsk Kazan Hangzhou Chongqing Tianjin Nanjing Macau Strasbourg"""

PLACES = frozenset(COUNTRIES.split()) | frozenset(CITIES.split()) | frozenset(MULTI_WORD)
