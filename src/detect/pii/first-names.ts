/**
 * Common given names across cultures (English, Spanish, Portuguese, French, German, Italian, Dutch,
 * Nordic, Slavic, Greek, Arabic, Turkish, Persian, Hebrew, Indian, Chinese, Japanese, Korean,
 * Vietnamese, African). Compact on purpose: it marks a capitalized pair as a likely person, and context
 * words or titles catch names that are not listed. Words that are mostly common nouns are left out.
 */
export const FIRST_NAMES: ReadonlySet<string> = new Set(
  `
James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan
Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander
Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Henry Adam Douglas Nathan Peter Zachary Kyle Walter
Harold Jeremy Ethan Carl Keith Roger Gerald Christian Terry Sean Arthur Austin Noah Lawrence Jesse Joe
Bryan Billy Jordan Albert Dylan Bruce Willie Gabriel Alan Juan Logan Wayne Ralph Roy Eugene Randy
Vincent Russell Louis Philip Bobby Johnny Bradley Liam Oliver Lucas Mason Owen Luke Isaac Julian Marcus
Greg Martin Edwin Leo Elijah Hunter Connor Ian Colin Derek Trevor Dean Neil Simon Oscar Victor Hugo
Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra
Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura
Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha Katherine Christine
Debra Rachel Catherine Carolyn Janet Ruth Maria Heather Diane Virginia Julie Joyce Victoria Olivia Kelly
Christina Lauren Joan Evelyn Judith Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa
Kathryn Sara Janice Jean Alice Madison Doris Abigail Julia Judy Denise Amber Marilyn Beverly Danielle
Theresa Sophia Marie Diana Brittany Natalie Isabella Charlotte Kayla Alexis Lori Ava Mia Chloe Ella Zoe
Lily Harper Aria Nora Riley Layla Zoey Claire Lucy Stella Violet Aurora Hazel Audrey Jane Jenny Kate
Helena Sylvia
Jose Luis Carlos Jorge Miguel Alejandro Javier Manuel Francisco Antonio Pedro Pablo Diego Fernando
Ricardo Sergio Andres Rafael Raul Eduardo Mateo Santiago Sebastian Matias Emilio Joaquin Ignacio Alvaro
Lucia Sofia Valentina Camila Isabel Carmen Rosa Ana Paula Elena Marta Laura Pilar Dolores Mercedes
Beatriz Ines Leticia Guadalupe Alejandra Daniela Fernanda Gabriela Mariana Ximena Paola Adriana Veronica
Joao Tiago Rodrigo Goncalo Afonso Thiago Felipe Leonardo Vitor Bruno Gustavo Caio Larissa Leticia Bianca
Jean Pierre Michel Philippe Alain Nicolas Christophe Francois Laurent Julien Olivier Antoine Guillaume
Thierry Mathieu Clement Maxime Hugo Louis Arnaud Benoit Camille Manon Chloe Lea Ines Juliette Mathilde
Sophie Nathalie Isabelle Sylvie Celine Aurelie Julie Margaux Elodie Amelie Brigitte Monique Veronique
Hans Klaus Jurgen Wolfgang Dieter Uwe Stefan Andreas Thomas Matthias Tobias Florian Sebastian Lukas Jonas
Felix Maximilian Moritz Niklas Jannik Kai Lars Sven Heinz Helmut Gerhard Ursula Monika Petra Sabine
Claudia Birgit Susanne Katrin Anja Heike Lena Leonie Johanna Greta Frieda Mila Annika Franziska
Giuseppe Giovanni Francesco Alessandro Andrea Marco Matteo Lorenzo Luca Davide Simone Federico Riccardo
Stefano Paolo Roberto Salvatore Vincenzo Giorgio Fabio Massimo Emanuele Giulia Chiara Francesca Federica
Alessia Martina Giorgia Silvia Valentina Elisa Sara Alice Aurora Ginevra Beatrice Giada Serena Rita
Jan Pieter Willem Hendrik Joost Sander Bram Daan Sem Thijs Ruben Femke Sanne Lotte Fleur Anouk Maud
Erik Anders Nils Magnus Henrik Johan Bjorn Leif Olav Ingrid Astrid Sigrid Freya Linnea Elin Maja Saga
Ivan Dmitri Sergei Alexei Andrei Mikhail Nikolai Vladimir Yuri Oleg Boris Pavel Igor Anastasia Olga
Natalia Tatiana Svetlana Irina Ekaterina Yulia Elena Ksenia Piotr Krzysztof Tomasz Marek Pawel Lukasz
Katarzyna Agnieszka Malgorzata Magdalena Joanna Zofia Petr Jiri Tomas Jana Eva Lucie Tereza Milan Goran
Dimitris Nikos Giorgos Yannis Konstantinos Eleni Katerina Maria Sofia Despina
Mohammed Muhammad Ahmed Ahmad Ali Omar Hassan Hussein Khalid Youssef Yusuf Ibrahim Mustafa Abdullah
Karim Tariq Hamza Bilal Rashid Said Samir Walid Nabil Fatima Aisha Khadija Maryam Zainab Layla Noor
Amira Yasmin Salma Huda Rania Leila Mariam Hana Zahra Mehmet Mustafa Emre Burak Murat Cem Kemal Elif
Zeynep Ayse Emine Merve Reza Hossein Mehdi Amir Dariush Parisa Shirin Nasrin Maryam Farah Arash Babak
Avi Moshe David Yosef Eitan Noam Yael Tamar Noa Shira Rivka Miriam
Aarav Arjun Rahul Amit Vikram Rohan Sanjay Ravi Suresh Rajesh Anil Sunil Deepak Vijay Manoj Arun Kiran
Nikhil Rajiv Ashok Pradeep Anand Sandeep Priya Ananya Divya Pooja Neha Kavya Anjali Sneha Lakshmi
Sunita Meera Aditi Shreya Riya Aishwarya Nisha Swati Deepika Ishaan Vivaan Aditya Krishna Ganesh Harish
Wei Li Jun Hao Lei Jie Ming Yang Chen Xin Jing Ying Hui Fang Xiaoming Xiaoling Yan Ling Mei Qiang Tao
Hiroshi Takashi Kenji Yuki Haruto Sota Ren Daiki Kenta Akira Satoshi Yumi Yoko Keiko Sakura Aiko Hina
Minjun Seojun Jiho Jisoo Minji Seoyeon Jiwoo Hyun Sungmin Younghee Jiyeon Soojin
Minh Anh Huong Linh Thanh Tuan Duc Hung Quang Hoa Lan Mai Thu Trang Nguyet
Chinedu Emeka Ngozi Chiamaka Obinna Adebayo Oluwaseun Folake Funmilayo Tunde Kwame Kofi Ama Akosua Abena
Amara Zuri Jabari Baraka Wanjiru Otieno Thabo Sipho Lerato Nomvula Tendai Fatou Moussa Aminata Mamadou
`
    .split(/\s+/)
    .filter((name) => name.length > 0),
);
