/**
 * Common family names across cultures. A capitalized word after a listed given name is a surname
 * anyway; this list raises confidence when both halves are known and recognizes "Mr. Smith" style pairs.
 */
export const SURNAMES: ReadonlySet<string> = new Set(
  `
Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson
Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis
Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall
Rivera Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes
Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard
Ramos Kim Cox Ward Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price
Alvarez Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell
Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson Alexander Hamilton
Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar
Stevens Murray Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy Wells
Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson Porter Hunter Gordon Mendez
Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone
Salazar Fox Warren Mills Meyer Rice Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan
Muller Mueller Schneider Fischer Weber Schulz Becker Hoffmann Schafer Koch Bauer Richter Klein Wolf
Schroder Neumann Schwarz Zimmermann Braun Kruger Hofmann Hartmann Lange Werner Krause Lehmann Kohler
Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel
Garnier Faure Rousseau Blanc Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti Mancini Costa
Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli
Fernandes Pereira Oliveira Santos Souza Rodrigues Almeida Carvalho Gomes Martins Araujo Ribeiro Barbosa
Jansen Visser Smit Bakker Janssen Mulder Bos Vos Peters Hendriks Dekker Dijkstra
Johansson Andersson Karlsson Nilsson Eriksson Larsson Olsson Persson Hansen Nielsen Jensen Pedersen
Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novak Kowalski Nowak Wisniewski
Wojcik Kowalczyk Kaminski Lewandowski Zielinski Horvat Kovac Papadopoulos Georgiou
Khan Ahmed Hussain Ali Rahman Hassan Ibrahim Abdullah Mahmoud Haddad Khalil Nasser Saleh Yilmaz Kaya
Demir Sahin Celik Yildiz Ozturk Aydin Hosseini Mohammadi Ahmadi Rezaei Karimi Cohen Levi Mizrahi Friedman
Sharma Singh Kumar Gupta Mehta Shah Reddy Iyer Nair Rao Joshi Desai Verma Agarwal Chopra Kapoor Malhotra
Bose Banerjee Chatterjee Mukherjee Das Pillai Menon Jain Chauhan Yadav
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Luo Gao Zheng Liang Xie Tang
Wong Chan Cheung Lau Ng Leung Lim Tan Goh Teo Ong Yeo
Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida Yamada Sasaki
Yamaguchi Matsumoto Inoue Kimura Hayashi Shimizu Park Choi Jung Kang Cho Yoon Jang Lim Han Shin
Pham Hoang Phan Vu Dang Bui Do Ho Ngo Duong Ly Okafor Okonkwo Adeyemi Oluwole Mensah Owusu Boateng
Diallo Traore Kamara Mwangi Otieno Kariuki Ndlovu Dlamini Nkosi Mokoena
`
    .split(/\s+/)
    .filter((name) => name.length > 0),
);
