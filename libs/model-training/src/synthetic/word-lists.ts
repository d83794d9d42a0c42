// Small vocabularies for human-readable demo titles ("Rugged Trail Tent" in "Outdoor").

export interface CategoryWords {
  category: string;
  nouns: readonly string[];
}

export const CATEGORY_WORDS: readonly CategoryWords[] = [
  { category: 'Outdoor', nouns: ['Tent', 'Backpack', 'Sleeping Bag', 'Headlamp', 'Camp Stove', 'Water Filter', 'Trekking Poles', 'Hammock'] },
  { category: 'Kitchen', nouns: ['Chef Knife', 'Skillet', 'Dutch Oven', 'Cutting Board', 'Kettle', 'Blender', 'Mixing Bowl', 'Spatula'] },
  { category: 'Running', nouns: ['Trail Shoe', 'Road Shoe', 'Running Vest', 'Sports Watch', 'Running Cap', 'Compression Socks', 'Wind Jacket', 'Hydration Belt'] },
  { category: 'Home Office', nouns: ['Desk Lamp', 'Monitor Stand', 'Office Chair', 'Notebook', 'Desk Mat', 'Cable Tray', 'Webcam', 'Footrest'] },
  { category: 'Garden', nouns: ['Trowel', 'Pruning Shears', 'Watering Can', 'Planter', 'Garden Hose', 'Seed Tray', 'Rake', 'Kneeling Pad'] },
  { category: 'Audio', nouns: ['Headphones', 'Earbuds', 'Bookshelf Speaker', 'Soundbar', 'Turntable', 'Microphone', 'Amplifier', 'Radio'] },
  { category: 'Bath', nouns: ['Towel Set', 'Bath Mat', 'Shower Caddy', 'Soap Dispenser', 'Robe', 'Toothbrush Holder', 'Mirror', 'Laundry Basket'] },
  { category: 'Toys', nouns: ['Puzzle', 'Building Set', 'Plush Bear', 'Kite', 'Board Game', 'Race Car', 'Doll House', 'Yo-Yo'] },
  { category: 'Cycling', nouns: ['Helmet', 'Bike Light', 'Saddle Bag', 'Floor Pump', 'Bike Lock', 'Cycling Gloves', 'Bottle Cage', 'Multi-Tool'] },
  { category: 'Coffee', nouns: ['Pour-Over Set', 'Burr Grinder', 'Espresso Cups', 'French Press', 'Milk Frother', 'Travel Mug', 'Coffee Scale', 'Cold Brew Jar'] },
  { category: 'Lighting', nouns: ['Floor Lamp', 'Pendant Light', 'String Lights', 'Table Lamp', 'Wall Sconce', 'Night Light', 'LED Strip', 'Lantern'] },
  { category: 'Pets', nouns: ['Dog Bed', 'Cat Tree', 'Leash', 'Food Bowl', 'Chew Toy', 'Pet Carrier', 'Grooming Brush', 'Scratching Post'] },
];

export const ADJECTIVES: readonly string[] = [
  'Rugged', 'Compact', 'Classic', 'Nordic', 'Urban', 'Alpine', 'Everyday', 'Premium',
  'Lightweight', 'Vintage', 'Coastal', 'Modern', 'Cozy', 'Sturdy', 'Sleek', 'Rustic',
  'Bright', 'Quiet', 'Deluxe', 'Essential',
];
