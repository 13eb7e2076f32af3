//! The default competency library: sixteen leadership principles, each with a
//! description, an anchor for every rating (1 = strong concern … 4 = strong
//! evidence) and behavioural questions, written for barraiser.

pub struct Principle {
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Ratings 1 (strong concern), 2 (concern), 3 (evidence), 4 (strong evidence).
    pub anchors: [&'static str; 4],
    pub questions: &'static [&'static str],
}

pub const LEADERSHIP_PRINCIPLES: &[Principle] = &[
    Principle {
        key: "customer_obsession",
        name: "Customer Obsession",
        description: "Starts from the customer and works backwards; earns and keeps customer trust even when it costs in the short term.",
        anchors: [
            "Talks about customers abstractly or not at all; optimised for internal convenience at the customer's expense.",
            "Mentions customers but decisions were driven by other factors; little evidence of seeking customer input.",
            "Gathered customer input and let it shape a concrete decision; can name the customer impact of their work.",
            "Changed direction or paid a real cost because of customer insight they sought out; measured the outcome for customers.",
        ],
        questions: &[
            "Tell me about a time you went beyond what was asked to solve a customer's problem. What did it cost you and what happened?",
            "Describe a decision where what the customer wanted conflicted with what the business wanted. How did you resolve it?",
            "Give an example of customer feedback that changed how you built something. How did you get it?",
        ],
    },
    Principle {
        key: "ownership",
        name: "Ownership",
        description: "Thinks long term, acts on behalf of the whole organisation, and never says 'that's not my job'.",
        anchors: [
            "Blames others or circumstances; stopped at the boundary of their assigned scope when the outcome was at risk.",
            "Completed their own part well but did not follow through on problems they noticed outside it.",
            "Took responsibility for an outcome beyond their immediate task and saw it through.",
            "Took on a problem nobody owned, sacrificed short-term results for long-term value, and can show the lasting result.",
        ],
        questions: &[
            "Tell me about a time you took on something significant outside your area of responsibility. Why, and what happened?",
            "Describe a time you made a decision that hurt a short-term goal for a long-term benefit.",
            "Give an example of a project that failed under your ownership. What did you do about it?",
        ],
    },
    Principle {
        key: "invent_and_simplify",
        name: "Invent and Simplify",
        description: "Expects and requires innovation and invention, and always finds ways to simplify; looks for ideas everywhere.",
        anchors: [
            "Added complexity without need or defended the status quo without examining it.",
            "Made incremental improvements suggested by others; limited original thinking.",
            "Found a simpler or novel approach to a real problem and got it adopted.",
            "Invented something that removed a whole class of work or complexity, and persisted through scepticism to land it.",
        ],
        questions: &[
            "Tell me about the most innovative thing you've built. What made it new, and how did you get it adopted?",
            "Describe a time you made a complicated process or system simpler. What did you remove?",
            "Give an example of an idea you borrowed from another field or team and adapted.",
        ],
    },
    Principle {
        key: "are_right_a_lot",
        name: "Are Right, A Lot",
        description: "Has strong judgment and good instincts; seeks diverse perspectives and works to disconfirm their beliefs.",
        anchors: [
            "Made important calls on gut alone and could not explain them, or ignored contrary evidence.",
            "Reasoning was sound but narrow; did not seek perspectives that might prove them wrong.",
            "Made a good decision with incomplete data, having actively sought dissenting views.",
            "Repeatedly made hard calls that proved right, and shows how they changed their mind when evidence required it.",
        ],
        questions: &[
            "Tell me about a time you had to decide without the data you wanted. How did you decide, and how did it turn out?",
            "Describe a time you were wrong about something important. How did you find out and what did you change?",
            "Give an example of when you sought out a view that contradicted your own before deciding.",
        ],
    },
    Principle {
        key: "learn_and_be_curious",
        name: "Learn and Be Curious",
        description: "Is never done learning and always seeks to improve; is curious about new possibilities and acts to explore them.",
        anchors: [
            "Shows little interest in learning beyond what the job forced on them.",
            "Learns when required; curiosity stays within their comfort zone.",
            "Taught themselves something new to solve a problem and applied it.",
            "Habitually explores beyond their domain and can show how that curiosity produced results for the team.",
        ],
        questions: &[
            "Tell me about something you learned recently on your own initiative. How did you use it?",
            "Describe a time your curiosity led you to discover a problem or opportunity others had missed.",
            "Give an example of feedback that changed how you work.",
        ],
    },
    Principle {
        key: "hire_and_develop_the_best",
        name: "Hire and Develop the Best",
        description: "Raises the performance bar with every hire, recognises exceptional talent, and coaches others.",
        anchors: [
            "Compromised on a hire under pressure or shows no investment in others' growth.",
            "Helped others when asked but without a deliberate plan.",
            "Coached someone with a clear plan and can describe their improvement.",
            "Developed people who went on to bigger roles, and held a high bar in hiring even when it was costly.",
        ],
        questions: &[
            "Tell me about someone you helped grow. What did you do and how did they change?",
            "Describe a time you pushed back on hiring someone others wanted. What happened?",
            "Give an example of hard feedback you gave to a colleague. How did you deliver it?",
        ],
    },
    Principle {
        key: "insist_on_the_highest_standards",
        name: "Insist on the Highest Standards",
        description: "Holds relentlessly high standards, continually raises the bar, and does not let defects travel downstream.",
        anchors: [
            "Accepted or shipped known poor quality without raising it.",
            "Meets the standard set by others but rarely raises it.",
            "Raised the quality bar for their work or team and fixed a root cause.",
            "Set a new standard that others adopted, and held it under schedule pressure with a clear rationale.",
        ],
        questions: &[
            "Tell me about a time you refused to compromise on quality. What was the pressure, and what did you do?",
            "Describe a standard you raised for your team. How did you get others to meet it?",
            "Give an example of a defect you traced to its root cause and prevented from recurring.",
        ],
    },
    Principle {
        key: "think_big",
        name: "Think Big",
        description: "Creates and communicates a bold direction that inspires results; thinks differently and looks around corners.",
        anchors: [
            "Thinks only about the immediate task; no sense of a larger direction.",
            "Has ambitious ideas but did not turn them into a plan others followed.",
            "Set a direction broader than their assignment and rallied others to it.",
            "Defined a bold vision that changed what the organisation attempted, and shows how it was achieved.",
        ],
        questions: &[
            "Tell me about the most ambitious goal you set. How did you convince others, and what came of it?",
            "Describe a time you saw beyond the immediate problem to a much larger opportunity.",
            "Give an example of a plan you wrote that changed your team's direction.",
        ],
    },
    Principle {
        key: "bias_for_action",
        name: "Bias for Action",
        description: "Values speed: many decisions are reversible and do not need extensive study; takes calculated risks.",
        anchors: [
            "Waited for certainty or permission where a reversible decision was needed.",
            "Acted once risks were fully removed; speed was incidental.",
            "Made a timely, calculated decision with incomplete information and managed the risk.",
            "Distinguished reversible from irreversible decisions and moved fast on the former with clear results.",
        ],
        questions: &[
            "Tell me about a time you acted without all the information you wanted. What was the risk and the result?",
            "Describe a decision you made quickly that turned out wrong. What did you do next?",
            "Give an example of when you unblocked a stalled effort.",
        ],
    },
    Principle {
        key: "frugality",
        name: "Frugality",
        description: "Accomplishes more with less; constraints breed resourcefulness, self-sufficiency and invention.",
        anchors: [
            "Asked for more people or money as the first answer; wasted resources.",
            "Stayed within budget but without looking for leverage.",
            "Delivered a result with fewer resources than expected through a resourceful choice.",
            "Turned a tight constraint into an inventive solution that saved substantial cost or time.",
        ],
        questions: &[
            "Tell me about a time you delivered with far fewer resources than you needed.",
            "Describe a cost you cut that others thought was necessary. How did you decide?",
            "Give an example of something you built yourself rather than buying or hiring for it.",
        ],
    },
    Principle {
        key: "earn_trust",
        name: "Earn Trust",
        description: "Listens attentively, speaks candidly, treats others respectfully, and is self-critical even when awkward.",
        anchors: [
            "Hid a mistake, blamed others, or was dismissive of colleagues.",
            "Courteous and reliable but avoids candour when it is uncomfortable.",
            "Admitted a mistake openly and repaired a working relationship.",
            "Built trust across a difficult relationship through candour and follow-through, with a visible result.",
        ],
        questions: &[
            "Tell me about a mistake you made that affected others. How did you communicate it?",
            "Describe a time you had to rebuild trust with a colleague or team.",
            "Give an example of uncomfortable news you delivered. How was it received?",
        ],
    },
    Principle {
        key: "dive_deep",
        name: "Dive Deep",
        description: "Operates at all levels, stays connected to the details, audits frequently, and is sceptical when metrics and anecdote differ.",
        anchors: [
            "Relied on summaries; could not answer basic questions about their own work.",
            "Knows the details of their own area but does not audit beyond it.",
            "Dug into data or code to find a cause others had missed.",
            "Found a deep, non-obvious problem by questioning a trusted metric, and fixed it at its root.",
        ],
        questions: &[
            "Tell me about a problem you solved only by digging far into the details. What did you find?",
            "Describe a time a metric said one thing and customers said another. What did you do?",
            "Give an example of how you keep track of the details of your work without micromanaging.",
        ],
    },
    Principle {
        key: "have_backbone_disagree_and_commit",
        name: "Have Backbone; Disagree and Commit",
        description: "Respectfully challenges decisions they disagree with; once a decision is made, commits wholly.",
        anchors: [
            "Stayed silent when they disagreed, or undermined a decision after it was made.",
            "Voiced disagreement weakly or without data; commitment afterwards was partial.",
            "Challenged a decision with data, then committed fully when overruled.",
            "Changed an important decision through principled, well-argued dissent, or committed wholeheartedly and made an overruled call succeed.",
        ],
        questions: &[
            "Tell me about a time you strongly disagreed with your manager or team. What did you do?",
            "Describe a decision you disagreed with but committed to. How did you show commitment?",
            "Give an example of when you stood alone on an issue. What happened?",
        ],
    },
    Principle {
        key: "deliver_results",
        name: "Deliver Results",
        description: "Focuses on the key inputs and delivers them with the right quality and on time; rises to setbacks.",
        anchors: [
            "Cannot point to concrete results, or gave up at the first serious setback.",
            "Delivered with significant help or below the expected scope or quality.",
            "Delivered a meaningful result on time despite an obstacle.",
            "Delivered an outsized result under hard constraints and can quantify it.",
        ],
        questions: &[
            "Tell me about the result you are proudest of. What obstacles did you overcome?",
            "Describe a time you were about to miss a deadline. What did you do?",
            "Give an example of a goal you missed. What did you learn and change?",
        ],
    },
    Principle {
        key: "strive_to_be_earths_best_employer",
        name: "Strive to be Earth's Best Employer",
        description: "Works to create a safer, more productive, more diverse and more just workplace; leads with empathy.",
        anchors: [
            "Ignored a colleague's wellbeing or an unfair practice they could have addressed.",
            "Supportive when asked but does not act on the working environment.",
            "Improved the working conditions, inclusion or growth of people around them.",
            "Changed a team's environment in a lasting way that others can see and measure.",
        ],
        questions: &[
            "Tell me about a time you made your team a better place to work.",
            "Describe a time you noticed someone being excluded. What did you do?",
            "Give an example of how you supported a colleague through a hard period.",
        ],
    },
    Principle {
        key: "success_and_scale_bring_broad_responsibility",
        name: "Success and Scale Bring Broad Responsibility",
        description: "Is humble and thoughtful about the secondary effects of their actions on communities and the future.",
        anchors: [
            "Did not consider effects of their work beyond its immediate goal.",
            "Aware of broader effects but did not act on them.",
            "Changed a plan to reduce a harm to people or the environment outside the team.",
            "Led a change that made the organisation's work measurably better for those it affects.",
        ],
        questions: &[
            "Tell me about a time you considered the impact of your work on people outside your team.",
            "Describe a decision where you chose the more responsible option at a cost.",
            "Give an example of an unintended consequence you anticipated and prevented.",
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Anchors, CompetencyKey, Questions};

    #[test]
    fn library_has_sixteen_valid_principles_with_unique_keys() {
        assert_eq!(LEADERSHIP_PRINCIPLES.len(), 16);
        let mut keys = std::collections::HashSet::new();
        for lp in LEADERSHIP_PRINCIPLES {
            CompetencyKey::parse(lp.key).unwrap();
            Anchors::parse(lp.anchors).unwrap();
            let qs: Vec<String> = lp.questions.iter().map(|q| q.to_string()).collect();
            Questions::parse(&qs).unwrap();
            assert!(lp.questions.len() >= 3, "{}", lp.key);
            assert!(keys.insert(lp.key), "duplicate key {}", lp.key);
        }
    }
}
